"""Load benchmark: the application under gunicorn, driven by wrk (``make bench``).

    python -m bench.load                      # SQLite file in a temporary folder
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python -m bench.load
    python -m bench.load --demo --duration 3  # quick development run on the demo data

One run builds a throwaway database with ``flask demo scale`` (10,000 people
by default), serves a bare Flask "hello world" and then the application under
the same gunicorn settings (2 sync workers, production configuration), signs
in as several learners, a mentor and an admin through the login form, checks
each page once by hand and times it with wrk (``bench/wrk/rotate.lua``),
reads the workers' memory and writes ``bench/results/load.md``, one section
per database. Needs wrk (``apt-get install wrk``).

Modules: ``prepare`` (data and manifest), ``server`` (gunicorn), ``client``
(sign-in and single requests), ``pages`` (what is asked and expected),
``wrk`` (running it), ``summary`` (table and results), ``runner`` (the order
of it all).
"""
