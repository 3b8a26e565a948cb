"""Reports the Python version and, for each given module, the installed distribution's version or
null when this interpreter cannot import it (found without importing it).

Run by the job runner once per runtime, and by `mlops-sfn doctor`, as
`python3 -s -E check_runtime.py module=distribution ...`, so the check sees what a job sees (no
user site-packages, no PYTHONPATH). Prints one JSON line.
"""
import importlib.util
import json
import sys


def version_of(distribution):
    try:
        from importlib import metadata
    except ImportError:  # Python < 3.8
        return ""
    try:
        return metadata.version(distribution)
    except Exception:
        return ""


def main(args):
    missing = []
    versions = {}
    for arg in args:
        name, _, distribution = arg.partition("=")
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if found:
            versions[name] = version_of(distribution or name)
        else:
            missing.append(name)
            versions[name] = None
    print(json.dumps({"python": sys.version.split()[0], "missing": missing, "versions": versions}))


if __name__ == "__main__":
    main(sys.argv[1:])
