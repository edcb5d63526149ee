"""The learner's own data: export (``exports``, built from ``sections``), withdrawal of
reflections, erasure of leavers and retention limits."""
