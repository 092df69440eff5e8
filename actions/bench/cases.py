"""Every case of the benchmark, in the order the command runs and prints them: the API's (each
beside its peer), the pages', then the heavy ones. Importing a module registers its cases."""

from actions.bench import api_cases, heavy_cases, page_cases  # noqa: F401
from actions.bench.registry import REGISTRY, Case, Context

__all__ = ["REGISTRY", "Case", "Context"]
