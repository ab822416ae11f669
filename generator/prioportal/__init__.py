"""prioportal: publish municipal priority decisions as an accessible static site.

`prioportal.__version__` is the installed version, read from the package's metadata: the
version is written once, in pyproject.toml.
"""


def __getattr__(name: str) -> str:
    # Read when asked for, not at every import: most commands never need it.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("prioportal")
        except PackageNotFoundError:  # run from a source folder that was never installed
            return "unknown"
    raise AttributeError(f"module 'prioportal' has no attribute {name!r}")
