"""scim2-server's storage over the database: SCIM resources as ``ScimResource`` rows.

scim2-server handles the protocol (validation, PATCH, filters, ETags, errors);
this storage reads and writes rows and asks ``lms.services.scim.provisioning``
to carry each change over to people, departments and cohorts.
"""

from __future__ import annotations

from typing import Any

from scim2_models import (
    Meta,
    NotFoundException,
    PreconditionFailedException,
    Resource,
    ResourceType,
    ScimProvider,
    UniquenessException,
)
from scim2_server.memory import _page as sort_and_page
from scim2_server.storage import ScimStorage, SearchPage, SearchRequest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import ScimResource, utcnow
from lms.services.scim import provisioning


def _lookup_name(resource_type: str, document: dict[str, Any]) -> str:
    key = "userName" if resource_type == "User" else "displayName"
    return str(document.get(key) or "").strip().lower()[:255]


class DatabaseStorage(ScimStorage):
    """Users and Groups kept in ``scim_resources``; ``userName eq`` filters use the index."""

    def __init__(self, provider: ScimProvider, group_kind: str):
        self.provider = provider
        self.group_kind = group_kind

    # --- reading -------------------------------------------------------------

    def _row(self, resource_type: ResourceType, resource_id: str) -> ScimResource:
        row = db.session.get(ScimResource, int(resource_id)) if str(resource_id).isdigit() \
            else None
        if row is None or row.resource_type != resource_type.name:
            raise NotFoundException(detail=f"{resource_type.name} {resource_id} not found")
        return row

    def _resource(self, resource_type: ResourceType, row: ScimResource) -> Resource[Any]:
        model = self.provider.model_for(resource_type)
        resource = model.model_validate(row.document)
        resource.id = str(row.id)
        resource.meta = Meta(resource_type=resource_type.name, created=row.created_at,
                             last_modified=row.updated_at, version=f'W/"{row.version}"')
        return resource

    def get(self, resource_type: ResourceType, resource_id: str, *,
            response_parameters=None) -> Resource[Any]:
        return self._resource(resource_type, self._row(resource_type, resource_id))

    def search(self, resource_types: list[ResourceType], search_request: SearchRequest[Any],
               *, position: Any = None) -> SearchPage:
        if (len(resource_types) == 1 and search_request.filter is None
                and search_request.sort_by is None and search_request.cursor is None):
            return self._plain_page(resource_types[0], search_request)
        found: list[Resource[Any]] = []
        for resource_type in resource_types:
            query = select(ScimResource).where(
                ScimResource.resource_type == resource_type.name).order_by(ScimResource.id)
            equal_name = self._equal_name(resource_type, search_request)
            if equal_name is not None:
                query = query.where(ScimResource.lookup_name == equal_name)
            resources = [self._resource(resource_type, row)
                         for row in db.session.execute(query).scalars()]
            scim_filter = search_request.filter
            found.extend(r for r in resources if scim_filter is None or scim_filter.match(r))
        return sort_and_page(search_request, position, found)

    def _plain_page(self, resource_type: ResourceType,
                    search_request: SearchRequest[Any]) -> SearchPage:
        """An unfiltered listing, paged by the database (HR systems walk every page)."""
        of_type = ScimResource.resource_type == resource_type.name
        total = db.session.execute(select(func.count()).where(of_type)).scalar_one()
        query = (select(ScimResource).where(of_type).order_by(ScimResource.id)
                 .offset(search_request.start_index_0 or 0))
        if search_request.count is not None:
            query = query.limit(search_request.count)
        rows = db.session.execute(query).scalars()
        return SearchPage(total, [self._resource(resource_type, row) for row in rows])

    @staticmethod
    def _equal_name(resource_type: ResourceType, search_request: SearchRequest[Any]):
        """The value of a plain ``userName eq "..."`` (or Group ``displayName eq``) filter."""
        scim_filter = search_request.filter
        if scim_filter is None:
            return None
        text = str(scim_filter).strip()
        attribute = "userName" if resource_type.name == "User" else "displayName"
        head, _, value = text.partition(" ")
        operator, _, literal = value.partition(" ")
        if (head.lower() == attribute.lower() and operator.lower() == "eq"
                and literal.startswith('"') and literal.endswith('"') and '"' not in literal[1:-1]
                and "\\" not in literal):
            return literal[1:-1].strip().lower()
        return None

    # --- writing -------------------------------------------------------------

    def _document(self, resource: Resource[Any]) -> dict[str, Any]:
        document = resource.model_dump(mode="json")
        for key in ("id", "meta", "password"):  # passwords are never kept
            document.pop(key, None)
        return document

    def _check_unique(self, resource_type: ResourceType, name: str, row_id: int | None) -> None:
        if not name:
            return
        taken = db.session.execute(select(ScimResource.id).where(
            ScimResource.resource_type == resource_type.name,
            ScimResource.lookup_name == name)).scalar_one_or_none()
        if taken is not None and taken != row_id:
            raise UniquenessException(detail=f"{name} is already provisioned")

    def _provision(self, resource_type: ResourceType, row: ScimResource) -> None:
        try:
            with db.session.begin_nested():
                if resource_type.name == "User":
                    provisioning.provision_user(row, row.document)
                else:
                    provisioning.provision_group(row, row.document, self.group_kind)
        except provisioning.ProvisioningConflict as error:
            raise UniquenessException(detail=f"{error} belongs to another person") from error

    def create(self, resource_type: ResourceType, resource: Resource[Any]) -> Resource[Any]:
        document = self._document(resource)
        name = _lookup_name(resource_type.name, document)
        self._check_unique(resource_type, name, None)
        now = utcnow()
        row = ScimResource(resource_type=resource_type.name, lookup_name=name,
                           external_id=document.get("externalId"), document=document,
                           version=1, created_at=now, updated_at=now)
        db.session.add(row)
        db.session.flush()
        self._provision(resource_type, row)
        return self._resource(resource_type, row)

    def update(self, resource_type: ResourceType, resource: Resource[Any], *,
               expected_version: str | None = None) -> Resource[Any]:
        row = self._row(resource_type, resource.id)
        self._check_version(row, expected_version)
        document = self._document(resource)
        name = _lookup_name(resource_type.name, document)
        self._check_unique(resource_type, name, row.id)
        row.document, row.lookup_name = document, name
        row.external_id = document.get("externalId")
        row.version += 1
        row.updated_at = utcnow()
        db.session.flush()
        self._provision(resource_type, row)
        return self._resource(resource_type, row)

    def delete(self, resource_type: ResourceType, resource_id: str, *,
               expected_version: str | None = None) -> None:
        row = self._row(resource_type, resource_id)
        self._check_version(row, expected_version)
        if resource_type.name == "User":
            provisioning.deprovision_user(row)
        db.session.delete(row)
        db.session.flush()

    @staticmethod
    def _check_version(row: ScimResource, expected_version: str | None) -> None:
        if expected_version is not None and expected_version != f'W/"{row.version}"':
            raise PreconditionFailedException(detail="the resource has changed")
