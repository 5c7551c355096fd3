"""Validates action.yml and .github/workflows/*.yml against SchemaStore's schemas:
tests/contracts/schemastore when the repository vendors them, else
../shared/contracts/schemastore. Exit 1 on any error."""
import glob, json, os, sys
import jsonschema, yaml

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
contracts = os.path.join(root, "tests", "contracts", "schemastore")
if not glob.glob(os.path.join(contracts, "*.json")):
    contracts = os.path.join(root, "..", "shared", "contracts", "schemastore")
print(f"schemas: {os.path.relpath(contracts, root)}")
ok = True
for schema_name, files in [
    ("github-action.json", [os.path.join(root, "action.yml")]),
    ("github-workflow.json", sorted(glob.glob(os.path.join(root, ".github", "workflows", "*.yml")))),
]:
    schema = json.load(open(os.path.join(contracts, schema_name)))
    validator = jsonschema.validators.validator_for(schema)(schema)
    for f in files:
        doc = yaml.safe_load(open(f))
        # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
        if isinstance(doc, dict) and True in doc:
            doc["on"] = doc.pop(True)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        for e in errors:
            ok = False
            print(f"{os.path.relpath(f, root)}: {'/'.join(map(str, e.path))}: {e.message}")
        if not errors:
            print(f"{os.path.relpath(f, root)}: valid ({schema_name})")
sys.exit(0 if ok else 1)
