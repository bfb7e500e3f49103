import ArgumentParser
import FakeS3
import Foundation
import SageMakerAPI

/// An error the command reports on stderr before exiting with status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }

    /// Words an API error as the AWS CLI does.
    static func api(_ error: Error, operation: String) -> Error {
        switch error {
        case let error as AWSServiceError:
            CommandFailure("An error occurred (\(error.code)) when calling the \(operation) operation: \(error.message)")
        case let error as S3Error:
            CommandFailure("An error occurred (\(error.code)) when calling the \(operation) operation: \(error.message)")
        default:
            error
        }
    }
}

extension ParsableCommand {
    /// Runs `body`, turning API errors into the AWS CLI's wording.
    func calling<T>(_ operation: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw CommandFailure.api(error, operation: operation)
        }
    }
}
