import sys
from pathlib import Path

# Samples are plain scripts, not packages: let their tests import them by module name.
for sample in Path(__file__).resolve().parent.iterdir():
    if sample.is_dir() and (sample / "app.py").exists():
        sys.path.insert(0, str(sample))
