import sys
from pathlib import Path

# Tests run with --import-mode=importlib: make this folder's helper module
# (fastapi_host_testing.py, a name unique in the repository) importable by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))
