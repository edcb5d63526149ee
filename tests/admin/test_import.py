"""CSV import of people: every problem reported with its line, and all rows or none."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from lms.extensions import db
from lms.models import AuditEvent, OutboxMessage, User
from lms.services.accounts import people as accounts
from lms.services.accounts.user_import import import_users

GOOD = (
    "email,name,department,roles,pronouns,cohorts\n"
    "ana.lopez@example.edu,Ana López,Pediatrics,learner,she/her,Ally Champions\n"
    "sam.okafor@example.edu,Sam Okafor,Emergency Medicine,learner;mentor,,\n"
)


@pytest.fixture
def org(app, make_department):
    """The departments and cohort the CSV files refer to."""
    make_department("Pediatrics")
    make_department("Emergency Medicine")
    accounts.create_cohort(name="Ally Champions")
    db.session.commit()


@pytest.fixture
def admin(make_user, auth):
    user = make_user(roles=("admin",), email="office@example.edu")
    auth.login(user)
    return user


def _people() -> int:
    return db.session.scalar(select(func.count(User.id)))


def _upload(client, content: bytes, filename="people.csv", **extra):
    # Encoded here rather than by the test client, which spools large bodies to a
    # temporary file it never closes.
    upload = FileStorage(io.BytesIO(content), filename=filename, content_type="text/csv")
    boundary, body = encode_multipart({"file": upload, **extra})
    return client.post("/admin/users/import", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def test_service_imports_every_row(org):
    report = import_users(GOOD.encode())
    assert report.ok, report.errors
    db.session.commit()
    sam = db.session.execute(
        select(User).where(User.email == "sam.okafor@example.edu")).scalar_one()
    assert sam.role_names == {"learner", "mentor"}
    assert sam.department.name == "Emergency Medicine"
    ana = db.session.execute(
        select(User).where(User.email == "ana.lopez@example.edu")).scalar_one()
    assert ana.pronouns == "she/her"
    assert [c.name for c in ana.cohorts] == ["Ally Champions"]


def test_excel_style_file_with_bom_and_header_case(org):
    data = ("\ufeffEmail,Name,DEPARTMENT\r\nana@example.edu,Ana,pediatrics\r\n").encode()
    report = import_users(data)
    assert report.ok, report.errors
    assert report.created[0].department.name == "Pediatrics"


def test_repeated_roles_and_cohorts_are_taken_once(org):
    data = ("email,name,department,roles,cohorts\n"
            "ana@example.edu,Ana,Pediatrics,learner;LEARNER|mentor,Ally Champions;ally champions\n")
    report = import_users(data.encode())
    assert report.ok, report.errors
    db.session.commit()
    ana = db.session.execute(select(User).where(User.email == "ana@example.edu")).scalar_one()
    assert ana.role_names == {"learner", "mentor"}
    assert len(ana.cohorts) == 1


@pytest.mark.parametrize("content, expected", [
    (b"email,name\nana@example.edu,Ana\n", "Line 1: missing column(s) department."),
    (b"", "Line 1: missing column(s) email, name, department."),
    (b"email,name,department\n", "The file has no rows to import."),
    ("email,name,department\nana@example.edu,Ana López,Pediatrics\n".encode("latin-1"),
     "The file is not UTF-8 text"),
    (b"email,name,department\nana@example.edu,Ana,Pediatrics,extra\n",
     "Line 2: more values than columns."),
    (b"email,name,department\nana@example.edu,Ana,Pediatric Surgery\n",
     "Line 2: unknown department 'Pediatric Surgery'"),
    (b"email,name,department\nana@example.edu,Ana,\n", "Line 2: department is empty."),
    (b"email,name,department,roles\nana@example.edu,Ana,Pediatrics,boss\n",
     "Line 2: unknown role(s) boss"),
    (b"email,name,department,cohorts\nana@example.edu,Ana,Pediatrics,Nope\n",
     "Line 2: unknown cohort 'Nope'."),
    (b"email,name,department\nnot-an-email,Ana,Pediatrics\n",
     "Line 2: 'not-an-email' is not a valid email address."),
    (b"email,name,department\n,Ana,Pediatrics\n", "Line 2: email is empty."),
    (b"email,name,department\nana@example.edu,,Pediatrics\n", "Line 2: name is empty."),
    (b"email,name,department\nana@example.edu," + b"A" * 201 + b",Pediatrics\n",
     "Line 2: name is longer than 200 characters."),
    (b"email,name,department,pronouns\nana@example.edu,Ana,Pediatrics," + b"x" * 41 + b"\n",
     "Line 2: pronouns are longer than 40 characters."),
    (b"email,name,department\nana@example.edu,An\x00a,Pediatrics\n",
     "Line 2: contains control characters"),
    (b"email,name,department\nana@example.edu,Ana,Pediatrics\nANA@example.edu,Ana L,Pediatrics\n",
     "Line 3: ana@example.edu is also on line 2 (duplicate email)."),
    (b"email,name,department\noffice@example.edu,Office,Pediatrics\n",
     "Line 2: office@example.edu already has an account."),
    (b'email,name,department\nana@example.edu,"Ana,Pediatrics\n',
     "Line 2: the file is not valid CSV"),
    (b'email,name,department\na@example.edu,A,Pediatrics\nb@example.edu,"B"x,Pediatrics\n',
     "Line 3: the file is not valid CSV"),
])
def test_bad_files_explain_themselves_and_import_nothing(client, org, admin, content, expected):
    before = _people()
    response = _upload(client, content)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Nothing was imported" in page
    assert expected in page.replace("&#39;", "'")
    assert _people() == before


def test_one_bad_row_among_good_ones_imports_nothing_and_lists_every_problem(client, org,
                                                                             admin):
    audit_events = db.session.scalar(select(func.count(AuditEvent.id)))
    rows = ["email,name,department"]
    rows += [f"person{i}@example.edu,Person {i},Pediatrics" for i in range(40)]
    rows[11] = "person10@example.edu,,Nowhere"  # line 12: two problems
    rows.append("person3@example.edu,Again,Pediatrics")  # line 42: duplicate of line 5
    response = _upload(client, ("\n".join(rows) + "\n").encode())
    page = response.get_data(as_text=True).replace("&#39;", "'")
    assert "3 problems to fix" in page
    assert "Line 12: name is empty." in page
    assert "Line 12: unknown department 'Nowhere'" in page
    assert "Line 42: person3@example.edu is also on line 5 (duplicate email)." in page
    assert _people() == 1
    assert db.session.scalar(select(func.count(AuditEvent.id))) == audit_events


def test_upload_page_imports_and_invites(client, org, admin):
    response = _upload(client, GOOD.encode(), send_invites="y")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users"
    assert _people() == 3
    invited = set(db.session.execute(select(OutboxMessage.to_address)).scalars())
    assert invited == {"ana.lopez@example.edu", "sam.okafor@example.edu"}
    flash = client.get("/admin/users").get_data(as_text=True)
    assert "Imported 2 people." in flash


def test_upload_needs_a_csv_file(client, org, admin):
    missing = client.post("/admin/users/import", data={}, content_type="multipart/form-data")
    assert b"Choose a CSV file." in missing.data
    wrong = _upload(client, b"%PDF-1.4", filename="people.pdf")
    assert b"Upload a .csv file." in wrong.data
    assert _people() == 1


def test_fifty_megabyte_upload_is_refused_with_413(client, org, admin):
    row = b"someone@example.edu,Some One,Pediatrics\n"
    huge = b"email,name,department\n" + row * (50 * 1024 * 1024 // len(row))
    response = _upload(client, huge)
    assert response.status_code == 413
    assert b"That file is too large" in response.data
    assert _people() == 1


def test_import_query_count_does_not_grow_with_rows(org, count_queries):
    def csv_with(n, start):
        lines = ["email,name,department,roles"]
        lines += [f"p{start + i}@example.edu,P {i},Pediatrics,learner;mentor" for i in range(n)]
        return ("\n".join(lines) + "\n").encode()

    with count_queries() as few:
        assert import_users(csv_with(5, 0)).ok
    with count_queries() as many:
        assert import_users(csv_with(200, 1000)).ok
    # Inserts are batched: a few statements more, not one (or three) per row.
    assert many.count <= few.count + 10, (few.count, many.count)


def test_cli_import(runner, org, tmp_path):
    good = tmp_path / "people.csv"
    good.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["users", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 people." in result.output
    assert _people() == 2


def test_cli_import_reports_every_bad_row_and_imports_nothing(runner, org, tmp_path):
    bad = tmp_path / "people.csv"
    bad.write_text("email,name,department\nana@example.edu,Ana,Nowhere\n"
                   "bad-email,Sam,Pediatrics\nok@example.edu,Ok,Pediatrics\n", encoding="utf-8")
    result = runner.invoke(args=["users", "import", str(bad)])
    assert result.exit_code == 1
    assert "Line 2: unknown department 'Nowhere'" in result.output
    assert "Line 3: 'bad-email' is not a valid email address." in result.output
    assert "Nothing imported: 2 problem(s)." in result.output
    assert _people() == 0
