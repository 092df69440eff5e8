"""The benchmark of issue 8: a synthetic register at scale (generator), the cases and their
SQL floors (cases), timing (runner) and the benchmark database (database). Run it with
`python manage.py bench`; see the README, "Performance"."""
