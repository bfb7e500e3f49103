import Foundation
import SageMakerAPI

/// The DAG of a definition (spec "Executor behaviours" 3, §3 "Dependencies"): a step waits for every step
/// it references with `Get: Steps.X…` (property files included), every step in its DependsOn, and, when it
/// sits in a branch, for its Condition step choosing that branch.
public struct PipelineGraph: Sendable {
    /// Step name → the steps it waits for (its Condition step included for branch steps).
    public let dependencies: [String: Set<String>]
    /// Step names in definition order.
    public let order: [String]

    init(steps: [PipelineStep], parameters: Set<String>) throws(PipelineDefinitionError) {
        let byName = Dictionary(uniqueKeysWithValues: steps.map { ($0.name, $0) })
        var dependencies: [String: Set<String>] = [:]
        for step in steps {
            var waitsFor: Set<String> = []
            for dependency in step.dependsOn {
                guard byName[dependency] != nil else {
                    throw PipelineDefinitionError("Step '\(step.name)': DependsOn names '\(dependency)', which is not a step of this pipeline.")
                }
                waitsFor.insert(dependency)
            }
            for reference in try Self.references(in: step.referencingArguments, step: step.name) {
                switch reference {
                case .parameter(let name):
                    guard parameters.contains(name) else {
                        throw PipelineDefinitionError("Step '\(step.name)': Get 'Parameters.\(name)' names a parameter that the pipeline does not declare.")
                    }
                case .execution:
                    break
                case .step(let name, _):
                    guard let source = byName[name] else {
                        throw PipelineDefinitionError("Step '\(step.name)': Get 'Steps.\(name)…' names a step that is not in this pipeline.")
                    }
                    if let file = reference.propertyFile, !source.propertyFiles.contains(where: { $0.propertyFileName == file.name }) {
                        throw PipelineDefinitionError("Step '\(step.name)': Get 'Steps.\(name).PropertyFiles.\(file.name)' names no property file of step '\(name)'.")
                    }
                    waitsFor.insert(name)
                }
            }
            if let branch = step.branchOf { waitsFor.insert(branch.conditionStep) }
            if waitsFor.contains(step.name) {
                throw PipelineDefinitionError("Step '\(step.name)' depends on itself.")
            }
            try Self.checkPropertyFileOutputs(of: step)
            dependencies[step.name] = waitsFor
        }
        self.dependencies = dependencies
        self.order = steps.map(\.name)
        try checkAcyclic()
    }

    /// Every `Get` reference inside a value (through `Std:Join`, `Std:JsonGet` and any nesting).
    static func references(in value: JSONValue, step: String) throws(PipelineDefinitionError) -> [PropertyReference] {
        switch value {
        case .object(let members):
            if members.count == 1, case .string(let text)? = members["Get"] {
                do {
                    return [try PropertyReference(parsing: text)]
                } catch {
                    throw PipelineDefinitionError("Step '\(step)': \(error.message).")
                }
            }
            var found: [PropertyReference] = []
            for key in members.keys.sorted() {
                found += try references(in: members[key]!, step: step)
            }
            return found
        case .array(let elements):
            var found: [PropertyReference] = []
            for element in elements { found += try references(in: element, step: step) }
            return found
        default:
            return []
        }
    }

    /// A property file must name one of the step's outputs, or its JsonGet can never find the file.
    private static func checkPropertyFileOutputs(of step: PipelineStep) throws(PipelineDefinitionError) {
        guard !step.propertyFiles.isEmpty else { return }
        let outputs = step.arguments["ProcessingOutputConfig"]?["Outputs"]?.arrayValue ?? []
        let names = outputs.compactMap { $0["OutputName"]?.stringValue }
        for file in step.propertyFiles where !names.contains(file.outputName) {
            let known = names.isEmpty ? "it has no ProcessingOutputConfig.Outputs" : "its outputs are \(names.joined(separator: ", "))"
            throw PipelineDefinitionError("Step '\(step.name)': property file '\(file.propertyFileName)' names OutputName '\(file.outputName)', which is not an output of this step; \(known).")
        }
    }

    /// Depth-first search for a cycle; the error lists it.
    private func checkAcyclic() throws(PipelineDefinitionError) {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var path: [String] = []
        func visit(_ name: String) -> [String]? {
            if marks[name] == .done { return nil }
            if marks[name] == .visiting {
                return Array(path[path.firstIndex(of: name)!...]) + [name]
            }
            marks[name] = .visiting
            path.append(name)
            for dependency in (dependencies[name] ?? []).sorted() {
                if let cycle = visit(dependency) { return cycle }
            }
            path.removeLast()
            marks[name] = .done
            return nil
        }
        for name in order {
            if let cycle = visit(name) {
                throw PipelineDefinitionError("The steps depend on each other in a cycle: \(cycle.reversed().joined(separator: " → ")).")
            }
        }
    }

    /// Every step that waits, directly or not, on `name`.
    public func downstream(of name: String) -> Set<String> {
        var found: Set<String> = []
        var frontier = [name]
        while let current = frontier.popLast() {
            for (step, waitsFor) in dependencies where waitsFor.contains(current) && !found.contains(step) {
                found.insert(step)
                frontier.append(step)
            }
        }
        return found
    }
}
