"""The benchmark: a synthetic register at scale (generator), the cases (cases, with api_cases,
page_cases and heavy_cases) and the API's peer (peer, mounted by urls), timing (runner) and the
benchmark database (database). Run it with `python manage.py bench`; see the README,
"Performance"."""
