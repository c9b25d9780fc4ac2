#!/usr/bin/env python3
# tests/sarif/validate.py: validates a SARIF log against the OASIS SARIF
# 2.1.0 schema next to this file.
#
#   python3 tests/sarif/validate.py LOG.sarif
#
# Exits 0 when valid; otherwise prints the first errors and exits 1 (2 when
# python3-jsonschema is not installed).
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("validate.py: python3-jsonschema is not installed (.ci/setup installs it)", file=sys.stderr)
    sys.exit(2)

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "sarif-schema-2.1.0.json"), encoding="utf-8") as f:
    schema = json.load(f)
with open(sys.argv[1], encoding="utf-8") as f:
    log = json.load(f)
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
errors = sorted(cls(schema).iter_errors(log), key=lambda e: list(e.path))
for e in errors[:5]:
    print("validate.py: %s: %s" % ("/".join(str(p) for p in e.path), e.message), file=sys.stderr)
sys.exit(1 if errors else 0)
