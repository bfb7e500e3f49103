/// DeleteObjects' answer: what was deleted (unless Quiet) and what failed.
struct DeleteResult: Encodable {
    struct Deleted: Encodable {
        let Key: String
    }

    struct Failure: Encodable {
        let Key: String
        let Code: String
        let Message: String
    }

    let Deleted: [Deleted]?
    let Error: [Failure]?
}
