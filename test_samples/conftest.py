import sys
from pathlib import Path

# Samples are plain scripts, not packages: let their tests import them by module name. A
# sample directory has an app.py or a <name>_agent.py (agent module names are unique across
# samples, so they can share sys.path).
for sample in Path(__file__).resolve().parent.iterdir():
    if sample.is_dir() and ((sample / "app.py").exists() or any(sample.glob("*_agent.py"))):
        sys.path.insert(0, str(sample))
