"""The core knows nothing of its doors: importing it never loads Streamlit."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_core_does_not_import_streamlit() -> None:
    probe = (
        "import sys, claims, claims.cli, claims.formats.export, claims.store.tinydb_store, "
        "claims.formats.articles; "
        "print('streamlit' in sys.modules or 'annotator' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
