#!/usr/bin/env python3
"""Generate Sources/SageMakerAPI/Generated/ from botocore's SageMaker service model.

Usage:
    python3 tools/generate-api.py            # (re)write the generated Swift files
    python3 tools/generate-api.py --check    # exit 1 if the committed files differ from the output
    python3 tools/generate-api.py --output DIR

Only the shapes reachable from the operations in OPERATIONS are generated. The output is sorted and
deterministic: running the script twice gives identical files.
"""
import argparse
import html
import re
import sys
from pathlib import Path

import botocore
import botocore.loaders

OPERATIONS = [
    "CreateProcessingJob", "DescribeProcessingJob", "ListProcessingJobs", "StopProcessingJob",
    "DeleteProcessingJob", "AddTags", "ListTags", "DeleteTags",
    "CreateTrainingJob", "DescribeTrainingJob", "ListTrainingJobs", "StopTrainingJob",
    "CreateModel", "DescribeModel", "ListModels", "DeleteModel",
    "CreateModelPackageGroup", "DescribeModelPackageGroup", "ListModelPackageGroups", "DeleteModelPackageGroup",
    "CreateModelPackage", "DescribeModelPackage", "ListModelPackages", "UpdateModelPackage",
    "CreatePipeline", "UpdatePipeline", "DescribePipeline", "ListPipelines", "DeletePipeline", "ListPipelineVersions",
    "StartPipelineExecution", "DescribePipelineExecution", "ListPipelineExecutions", "ListPipelineExecutionSteps",
    "ListPipelineParametersForExecution", "DescribePipelineDefinitionForExecution", "StopPipelineExecution",
    "RetryPipelineExecution",
]
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "Sources" / "SageMakerAPI" / "Generated"
# Patterns that accept anything are not checked (the brief: skip `.*`).
MATCH_ANYTHING = {".*"}
SWIFT_KEYWORDS = {
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
    "inout", "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows",
    "static", "struct", "subscript", "typealias", "var", "break", "case", "continue", "default",
    "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "switch",
    "where", "while", "as", "catch", "false", "is", "nil", "super", "self", "Self", "throw", "throws",
    "true", "try", "Type", "Protocol", "any", "some",
}


class Model:
    """The botocore model plus the set of shapes reachable from OPERATIONS."""

    def __init__(self):
        self.raw = botocore.loaders.Loader().load_service_model("sagemaker", "service-2")
        self.shapes = self.raw["shapes"]
        self.reachable = set()
        for name in OPERATIONS:
            operation = self.raw["operations"][name]
            for key in ("input", "output"):
                if key in operation:
                    self._walk(operation[key]["shape"])

    def _walk(self, name):
        if name in self.reachable:
            return
        self.reachable.add(name)
        shape = self.shapes[name]
        for key in ("member", "key", "value"):
            if key in shape:
                self._walk(shape[key]["shape"])
        for member in shape.get("members", {}).values():
            self._walk(member["shape"])

    def of_type(self, *types):
        return sorted(n for n in self.reachable if self.shapes[n]["type"] in types)

    def enums(self):
        return sorted(n for n in self.reachable if "enum" in self.shapes[n])


# ---------------------------------------------------------------------------------------------
# Naming and text helpers


def lower_camel(name):
    """AWS's path name for a member: the first character lowercased (S3Input -> s3Input)."""
    return name[:1].lower() + name[1:]


def identifier(name):
    return f"`{name}`" if name in SWIFT_KEYWORDS else name


def enum_case_name(value):
    """`ml.m5.xlarge` -> mlM5Xlarge, `None` -> none, `GZIP` -> gzip, `InProgress` -> inProgress."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", value) if w]
    parts = []
    for index, word in enumerate(words):
        if word.isupper():
            word = word.lower()
        parts.append(word[:1].lower() + word[1:] if index == 0 else word[:1].upper() + word[1:])
    name = "".join(parts)
    if not name or name[0].isdigit():
        name = "_" + name
    return identifier(name)


def swift_string(text):
    """A Swift raw string literal holding `text` unchanged (patterns keep their backslashes)."""
    hashes = "#"
    while f'"{hashes}' in text:
        hashes += "#"
    return f'{hashes}"{text}"{hashes}'


def first_sentence(documentation):
    """The first sentence of the model's HTML documentation, as plain text, or None."""
    if not documentation:
        return None
    text = re.sub(r"</?(p|li|ul|ol|br|note|important)\b[^>]*>", " ", documentation)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s+", " ", text)).strip()
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = match.group(1) if match else text
    if len(sentence) > 200:
        sentence = sentence[:200].rsplit(" ", 1)[0] + " …"
    return sentence or None


# ---------------------------------------------------------------------------------------------
# Swift emitters


class Generator:
    def __init__(self, model):
        self.model = model
        self.shapes = model.shapes
        version = botocore.__version__
        api_version = model.raw["metadata"]["apiVersion"]
        self.header = (
            f"// GENERATED by tools/generate-api.py from botocore {version} "
            f"(sagemaker service-2, API {api_version}). Do not edit.\n"
            "// Regenerate with `python3 tools/generate-api.py`; `--check` verifies this file is current.\n"
        )
        self.files = {}

    def run(self):
        for name in self.model.of_type("structure"):
            self.files[f"Structures/{name}.swift"] = self.structure(name)
            self.files[f"Validation/{name}+Constraints.swift"] = self.validation(name)
        for name in self.model.enums():
            self.files[f"Enums/{name}.swift"] = self.enum(name)
        self.files["Rules/ShapeRules.swift"] = self.rules_namespace()
        self.files["Rules/ShapeRules+Strings.swift"] = self.string_rules()
        self.files["Rules/ShapeRules+Numbers.swift"] = self.number_rules()
        self.files["Rules/ShapeRules+Collections.swift"] = self.collection_rules()
        self.files["Operations/SageMakerOperation.swift"] = self.operations()
        self.files["Operations/SageMakerRequest+Conformances.swift"] = self.request_conformances()
        self.files["SageMakerModel.swift"] = self.model_info()
        return self.files

    # -- types ----------------------------------------------------------------------------

    def swift_type(self, shape_name):
        shape = self.shapes[shape_name]
        kind = shape["type"]
        if kind == "structure":
            return shape_name
        if kind == "string":
            return "String"
        if kind in ("integer", "long"):
            return "Int"
        if kind == "boolean":
            return "Bool"
        if kind in ("double", "float"):
            return "Double"
        if kind == "timestamp":
            return "Date"
        if kind == "list":
            return f"[{self.swift_type(shape['member']['shape'])}]"
        if kind == "map":
            assert self.shapes[shape["key"]["shape"]]["type"] == "string", shape_name
            return f"[String: {self.swift_type(shape['value']['shape'])}]"
        raise ValueError(f"unsupported shape type {kind} for {shape_name}")

    def wire_type(self, shape_name):
        shape = self.shapes[shape_name]
        kind = shape["type"]
        simple = {"string": ".string", "integer": ".integer", "long": ".integer", "boolean": ".boolean",
                  "double": ".double", "float": ".double", "timestamp": ".timestamp"}
        if kind in simple:
            return simple[kind]
        if kind == "list":
            return f".list({self.wire_type(shape['member']['shape'])})"
        if kind == "map":
            return f".map({self.wire_type(shape['value']['shape'])})"
        return f".structure({shape_name}.self)"

    def uses_date(self, shape_name, seen=None):
        seen = seen if seen is not None else set()
        if shape_name in seen:
            return False
        seen.add(shape_name)
        shape = self.shapes[shape_name]
        if shape["type"] == "timestamp":
            return True
        refs = [shape[k]["shape"] for k in ("member", "value") if k in shape]
        if shape["type"] != "structure":
            return any(self.uses_date(r, seen) for r in refs)
        return any(self.shapes[m["shape"]]["type"] in ("timestamp", "list", "map")
                   and self.uses_date(m["shape"], seen) for m in shape["members"].values())

    def structure(self, name):
        shape = self.shapes[name]
        members = list(shape["members"].items())
        doc = first_sentence(shape.get("documentation")) or f"The `{name}` shape of the SageMaker API."
        out = [self.header]
        if any(self.uses_date(m["shape"]) for _, m in members):
            out.append("import Foundation\n")
        out.append(f"/// {doc}\n")
        out.append("///\n/// Every member is optional so that a missing required member is reported by\n"
                   "/// validation (`Value null at …`) rather than as a decoding error.\n")
        out.append(f"public struct {name}: Codable, Sendable, Equatable {{\n")
        for member_name, member in members:
            member_doc = first_sentence(member.get("documentation"))
            if member_doc:
                out.append(f"    /// {member_doc}\n")
            out.append(f"    public var {identifier(lower_camel(member_name))}: "
                       f"{self.swift_type(member['shape'])}?\n")
        if members:
            out.append("\n")
        out.append(f"    /// Creates a `{name}`; every member defaults to nil.\n")
        params = [f"{identifier(lower_camel(m))}: {self.swift_type(v['shape'])}? = nil" for m, v in members]
        if len(", ".join(params)) <= 80:
            out.append(f"    public init({', '.join(params)}) {{\n")
        else:
            out.append("    public init(\n" + ",\n".join(" " * 8 + p for p in params) + "\n    ) {\n")
        for member_name, _ in members:
            field = lower_camel(member_name)
            out.append(f"        self.{field} = {identifier(field)}\n")
        out.append("    }\n")
        if members:
            out.append("\n    enum CodingKeys: String, CodingKey {\n")
            for member_name, _ in members:
                out.append(f"        case {identifier(lower_camel(member_name))} = \"{member_name}\"\n")
            out.append("    }\n")
        out.append("}\n\n")
        out.append(f"extension {name}: WireStructure {{\n")
        if members:
            out.append("    static let wireMembers: [String: WireType] = [\n")
            for member_name, member in sorted(members):
                out.append(f"        \"{member_name}\": {self.wire_type(member['shape'])},\n")
            out.append("    ]\n")
        else:
            out.append("    static let wireMembers: [String: WireType] = [:]\n")
        out.append("}\n")
        return "".join(out)

    def enum(self, name):
        shape = self.shapes[name]
        doc = first_sentence(shape.get("documentation")) or f"The values of the `{name}` enum shape."
        cases = [(enum_case_name(v), v) for v in shape["enum"]]
        assert len({c for c, _ in cases}) == len(cases), f"enum case names collide in {name}"
        out = [self.header, f"/// {doc} Request and response members hold the raw value as a `String`.\n",
               f"public enum {name}: String, CaseIterable, Sendable {{\n"]
        out += [f"    case {case} = \"{value}\"\n" for case, value in cases]
        out.append("}\n")
        return "".join(out)

    # -- validation -----------------------------------------------------------------------

    def rule_name(self, shape_name):
        return "ShapeRules." + identifier(lower_camel(shape_name))

    def has_string_rules(self, shape_name):
        shape = self.shapes[shape_name]
        return any(k in shape for k in ("min", "max", "enum")) or \
            (shape.get("pattern") is not None and shape["pattern"] not in MATCH_ANYTHING)

    def has_number_rules(self, shape_name):
        return any(k in self.shapes[shape_name] for k in ("min", "max"))

    def check(self, shape_name, value, path, required, indent):
        """Swift lines that check `value` (of shape `shape_name`) at `path` into `report`."""
        shape = self.shapes[shape_name]
        kind = shape["type"]
        req = ", required: true" if required else ""
        pad = " " * indent
        if kind == "string":
            if self.has_string_rules(shape_name):
                return [f"{pad}report.checkString({value}, at: {path}, {self.rule_name(shape_name)}{req})"]
        elif kind in ("integer", "long"):
            if self.has_number_rules(shape_name):
                return [f"{pad}report.checkNumber({value}, at: {path}, {self.rule_name(shape_name)}{req})"]
        elif kind in ("double", "float"):
            assert not self.has_number_rules(shape_name), f"double ranges are not supported: {shape_name}"
        elif kind == "structure":
            return [f"{pad}report.checkStructure({value}, at: {path}{req})"]
        elif kind == "list":
            inner = self.check(shape["member"]["shape"], "element", "path", False, indent + 4)
            head = f"{pad}report.checkList({value}, at: {path}, {self.rule_name(shape_name)}{req})"
            if not inner:
                return [head + " { _, _, _ in }"]
            return [head + " { element, path, report in"] + inner + [pad + "}"]
        elif kind == "map":
            key, val = shape["key"]["shape"], shape["value"]["shape"]
            assert self.shapes[val]["type"] == "string", f"only string-valued maps are supported: {shape_name}"
            keys = self.rule_name(key) if self.has_string_rules(key) else "StringShapeRules()"
            values = self.rule_name(val) if self.has_string_rules(val) else "StringShapeRules()"
            return [f"{pad}report.checkMap({value}, at: {path}, {self.rule_name(shape_name)}{req},",
                    f"{pad}                keys: {keys}, values: {values})"]
        if required:
            return [f"{pad}report.checkPresence({value}, at: {path}, required: true)"]
        return []

    def validation(self, name):
        shape = self.shapes[name]
        required = set(shape.get("required", []))
        lines = []
        for member_name, member in shape["members"].items():
            field = lower_camel(member_name)
            # A member named like a parameter of collectFailures (Bias.Report) is reached through self.
            value = f"self.{identifier(field)}" if field in ("report", "path") else identifier(field)
            lines += self.check(member["shape"], value, f'path.member("{field}")',
                                member_name in required, 8)
        out = [self.header,
               f"extension {name}: ShapeValidatable {{\n",
               "    /// Checks the model constraints of every member, in model order.\n",
               "    public func collectFailures(at path: ValidationPath, into report: inout ValidationReport) {\n"]
        out += [line + "\n" for line in lines]
        out.append("    }\n}\n")
        return "".join(out)

    # -- rule tables ----------------------------------------------------------------------

    def rules_namespace(self):
        patterns = sorted({self.shapes[n]["pattern"] for n in self.model.of_type("string")
                           if self.has_string_rules(n) and self.shapes[n].get("pattern")
                           and self.shapes[n]["pattern"] not in MATCH_ANYTHING})
        out = [self.header,
               "/// The constraints of each constrained shape, named after the shape (lowerCamelCase).\n",
               "enum ShapeRules {\n",
               "    /// Every pattern the rules use, so tests can check that ICU compiles each one.\n",
               "    static let allPatterns: [String] = [\n"]
        out += [f"        {swift_string(p)},\n" for p in patterns]
        out.append("    ]\n}\n")
        return "".join(out)

    def string_rules(self):
        out = [self.header, "extension ShapeRules {\n"]
        for name in self.model.of_type("string"):
            if not self.has_string_rules(name):
                continue
            shape = self.shapes[name]
            args = [f"{k}: {shape[k]}" for k in ("min", "max") if k in shape]
            pattern = shape.get("pattern")
            if pattern and pattern not in MATCH_ANYTHING:
                args.append(f"pattern: {swift_string(pattern)}")
            if "enum" in shape:
                args.append(f"enumValues: {name}.allCases.map(\\.rawValue)")
            out.append(f"    static let {identifier(lower_camel(name))} = StringShapeRules({', '.join(args)})\n")
        out.append("}\n")
        return "".join(out)

    def number_rules(self):
        out = [self.header, "extension ShapeRules {\n"]
        for name in self.model.of_type("integer", "long"):
            if self.has_number_rules(name):
                shape = self.shapes[name]
                args = ", ".join(f"{k}: {shape[k]}" for k in ("min", "max") if k in shape)
                out.append(f"    static let {identifier(lower_camel(name))} = NumberShapeRules({args})\n")
        out.append("}\n")
        return "".join(out)

    def collection_rules(self):
        out = [self.header, "extension ShapeRules {\n"]
        for name in self.model.of_type("list", "map"):
            shape = self.shapes[name]
            args = ", ".join(f"{k}: {shape[k]}" for k in ("min", "max") if k in shape)
            out.append(f"    static let {identifier(lower_camel(name))} = SizeShapeRules({args})\n")
        out.append("}\n")
        return "".join(out)

    # -- operations -----------------------------------------------------------------------

    def operations(self):
        prefix = self.model.raw["metadata"]["targetPrefix"]
        out = [self.header,
               "/// The SageMaker operations sagebox serves, named as in `X-Amz-Target: SageMaker.<Operation>`.\n",
               "public enum SageMakerOperation: String, CaseIterable, Sendable {\n"]
        for name in sorted(OPERATIONS):
            operation = self.model.raw["operations"][name]
            request = operation["input"]["shape"]
            response = f"`{operation['output']['shape']}`" if "output" in operation else "no body"
            out.append(f"    /// Request `{request}`, response {response}.\n")
            out.append(f"    case {lower_camel(name)} = \"{name}\"\n")
        out.append("\n    /// The `X-Amz-Target` header value, e.g. `SageMaker.CreateProcessingJob`.\n")
        out.append(f"    public var target: String {{ \"{prefix}.\" + rawValue }}\n\n")
        out.append("    /// The operation an `X-Amz-Target` header names, or nil for any other target.\n")
        out.append("    public init?(target: String) {\n")
        out.append(f"        guard target.hasPrefix(\"{prefix}.\") else {{ return nil }}\n")
        out.append(f"        self.init(rawValue: String(target.dropFirst({len(prefix) + 1})))\n")
        out.append("    }\n}\n")
        return "".join(out)

    def request_conformances(self):
        out = [self.header]
        for name in sorted(OPERATIONS):
            out.append(f"extension {self.model.raw['operations'][name]['input']['shape']}: SageMakerRequest {{}}\n")
        return "".join(out)

    def model_info(self):
        metadata = self.model.raw["metadata"]
        return "".join([
            self.header,
            "/// Where the generated shapes come from.\n",
            "public enum SageMakerModel {\n",
            "    /// The botocore release whose `sagemaker/service-2` model generated this module.\n",
            f"    public static let botocoreVersion = \"{botocore.__version__}\"\n",
            "    /// The SageMaker API version of that model.\n",
            f"    public static let apiVersion = \"{metadata['apiVersion']}\"\n",
            "}\n",
        ])


# ---------------------------------------------------------------------------------------------


def existing_files(root):
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*.swift"))}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare instead of writing; exit 1 on drift")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the Generated folder")
    args = parser.parse_args()

    files = Generator(Model()).run()
    current = existing_files(args.output)
    if args.check:
        drift = sorted(set(files) ^ set(current)) + sorted(p for p in files if p in current and files[p] != current[p])
        for path in drift:
            print(f"out of date: {path}", file=sys.stderr)
        if drift:
            print("run: python3 tools/generate-api.py", file=sys.stderr)
            return 1
        print(f"{len(files)} generated files are current")
        return 0
    for stale in set(current) - set(files):
        (args.output / stale).unlink()
    for path, text in sorted(files.items()):
        target = args.output / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if current.get(path) != text:
            target.write_text(text)
    print(f"wrote {len(files)} files to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
