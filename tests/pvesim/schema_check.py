"""Parameter verification the way PVE's JSONSchema.pm does it (the subset the simulator serves)."""
from __future__ import annotations

import json
import os
import re

SCHEMA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schema.json")

_NODE_RE = re.compile(r"^(?=.{1,63}$)[a-zA-Z0-9](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?$")
_POOL_RE = re.compile(r"^[A-Za-z0-9_\-]+(?:/[A-Za-z0-9_\-]+){0,2}$")
_CONFIGID_RE = re.compile(r"^[a-z][a-z0-9_]+$")
_REALM_RE = re.compile(r"^[A-Za-z][A-Za-z0-9\.\-_]+$")
_INT_RE = re.compile(r"^[+-]?\d+$")
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
TASK_STATUS_TYPES = ("ok", "warning", "error", "unknown")
# parameter types given as strings: (what a value must match, its conversion)
_SCALARS = {"boolean": (re.compile(r"\A[01]\Z"), int), "integer": (_INT_RE, int), "number": (_NUMBER_RE, float)}

_FORMATS = {
    "pve-node": (_NODE_RE, "value does not look like a valid node name"),
    "pve-poolid": (_POOL_RE, "invalid pool ID"),
    "pve-configid": (_CONFIGID_RE, "invalid configuration ID"),
    "pve-realm": (_REALM_RE, "value does not look like a valid realm"),
}


class ParamError(Exception):
    """400 Parameter verification failed, with per-parameter messages."""

    def __init__(self, errors):
        super().__init__("Parameter verification failed.")
        self.errors = errors


def load_schema(path=SCHEMA_PATH):
    """The simulator's extract of the official schema (parameters and returns; see extract())."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


# The keywords verify() and check_returns() read: schema.json keeps only these (format only when a name), and
# no indexed key family such as `net[n]` (a name no answer has: check_returns cannot read it).
PARAMETER_KEYWORDS = ("type", "optional", "minimum", "maximum", "maxLength", "minLength", "enum", "format", "requires")
RETURNS_KEYWORDS = ("type", "optional", "enum", "items", "properties")
# The create endpoints keep only the parameters the simulator's create reads; others are refused as unknown.
CREATE_PARAMETERS = ("node", "vmid", "name", "hostname", "ostemplate")


def _keep(spec, keywords):
    out = {k: spec[k] for k in keywords if k in spec and (k != "format" or isinstance(spec[k], str))}
    if "items" in out:
        out["items"] = _keep(out["items"], keywords)
    if "properties" in out:
        out["properties"] = {k: _keep(v, keywords) for k, v in out["properties"].items() if not k.endswith("[n]")}
    return out


def extract(apidata_text, methods, commit):
    """schema.json from pve-docs' api-viewer/apidata.js: for each (template, method), its parameters and returns
    with only the keywords read here."""
    stack = json.loads(apidata_text[apidata_text.index("["):apidata_text.rindex("]") + 1])
    nodes = {}
    while stack:
        node = stack.pop()
        nodes[node["path"]] = node
        stack.extend(node.get("children", []))
    out = {"_source": {"repo": "https://github.com/proxmox/pve-docs", "file": "api-viewer/apidata.js", "commit": commit,
                       "extract": "PYTHONPATH=tests python -m pvesim schema apidata.js COMMIT"}}
    for template, method in methods:
        info = nodes[template]["info"][method]
        create = method == "POST" and template.endswith(("/qemu", "/lxc"))
        params = {k: _keep(v, PARAMETER_KEYWORDS) for k, v in info["parameters"].get("properties", {}).items()
                  if not create or k in CREATE_PARAMETERS}
        kept = {"properties": params}
        if "additionalProperties" in info["parameters"]:
            kept["additionalProperties"] = info["parameters"]["additionalProperties"]
        out.setdefault(template, {})[method] = {"parameters": kept, "returns": _keep(info["returns"], RETURNS_KEYWORDS)}
    return out


def _check_format(fmt, value):
    """pve-vmid and the formats not listed here check nothing more (a VMID's range: minimum/maximum)."""
    if fmt == "pve-task-status-type-list":
        for item in re.split(r"[,;\s]+", value.strip()):
            if item and item not in TASK_STATUS_TYPES:
                return "invalid format - value '%s' does not have a value in the enumeration '%s'" % (
                    item, ", ".join(TASK_STATUS_TYPES))
        return None
    entry = _FORMATS.get(fmt)
    if entry and not entry[0].match(value):
        return "invalid format - " + entry[1]
    return None


def _check_one(spec, value):
    """Return (converted value, error message or None)."""
    ptype = spec.get("type", "string")
    if ptype in _SCALARS:
        pattern, convert = _SCALARS[ptype]
        if not pattern.match(value):
            return value, "type check ('%s') failed - got '%s'" % (ptype, value)
        value = convert(value)
    if ptype in ("integer", "number"):
        if "minimum" in spec and value < spec["minimum"]:
            return value, "value must have a minimum value of %s" % spec["minimum"]
        if "maximum" in spec and value > spec["maximum"]:
            return value, "value must have a maximum value of %s" % spec["maximum"]
        return value, None
    if ptype != "string":
        return value, None
    if "maxLength" in spec and len(value) > spec["maxLength"]:
        return value, "value may only be %s characters long" % spec["maxLength"]
    if "minLength" in spec and len(value) < spec["minLength"]:
        return value, "value must be at least %s characters long" % spec["minLength"]
    if "enum" in spec and value not in spec["enum"]:
        return value, "value '%s' does not have a value in the enumeration '%s'" % (value, ", ".join(spec["enum"]))
    fmt = spec.get("format")
    if isinstance(fmt, str):
        return value, _check_format(fmt, value)
    return value, None


def verify(method_schema, params):
    """Check params (name -> str) against a method node; return typed params or raise ParamError."""
    props = method_schema["parameters"].get("properties", {})
    additional = method_schema["parameters"].get("additionalProperties", 1)
    errors = {}
    out = {}
    for name, value in params.items():
        spec = props.get(name)
        if spec is None:
            if not additional:
                errors[name] = "property is not defined in schema and the schema does not allow additional properties"
            continue
        converted, error = _check_one(spec, value)
        if error:
            errors[name] = error
        else:
            out[name] = converted
    for name, spec in props.items():
        if name not in params and not spec.get("optional"):
            errors[name] = "property is missing and it is not optional"
        requires = spec.get("requires")
        if name in params and isinstance(requires, str) and requires not in params:
            errors.setdefault(requires, "property is missing and it is not optional")
    if errors:
        raise ParamError(errors)
    return out


# Fields where real PVE sends a numeric string although the schema says integer (samples win).
NUMERIC_STRING_FIELDS = frozenset(("netmask6", "mtu", "vlan-id", "bridge_fd", "prefix"))


_PY_TYPES = {"integer": int, "number": (int, float), "string": str, "array": list, "object": dict}


def _type_ok(stype, value, name):
    if stype == "integer" and isinstance(value, str) and name in NUMERIC_STRING_FIELDS:
        return _INT_RE.match(value) is not None
    if stype == "boolean":
        return value in (0, 1) and not isinstance(value, float)
    return stype not in _PY_TYPES or (isinstance(value, _PY_TYPES[stype]) and not isinstance(value, bool))


def check_returns(spec, value, where="data", name=""):
    """Problems (list of str) of value against a `returns` schema: types, required keys, enums."""
    problems = []
    if value is None:
        return problems if spec.get("optional") else ["%s: null" % where]
    stype = spec.get("type")
    if stype and not _type_ok(stype, value, name):
        return ["%s: expected %s, got %r" % (where, stype, value)]
    if "enum" in spec and value not in spec["enum"]:
        problems.append("%s: %r not in %s" % (where, value, spec["enum"]))
    if stype == "array" and isinstance(spec.get("items"), dict):
        for index, item in enumerate(value):
            problems += check_returns(spec["items"], item, "%s[%d]" % (where, index), name)
    if stype == "object" and "properties" in spec:
        for key, sub in spec["properties"].items():
            if key not in value:
                if not sub.get("optional"):
                    problems.append("%s: missing %s" % (where, key))
                continue
            problems += check_returns(sub, value[key], "%s.%s" % (where, key), key)
    return problems
