import Testing
import HTTPTypes
@testable import SageboxServer

/// How a request's path, host and query pick a service, a bucket and a key.
struct AddressingTests {
    @Test func pathStyle() throws {
        let address = try #require(S3Address(rawPath: "/lab/data/a%20b%2Bc.csv", host: "127.0.0.1:9000", serverHost: "127.0.0.1"))
        #expect(address == S3Address(bucket: "lab", key: "data/a b+c.csv"))
        #expect(S3Address(rawPath: "/lab", host: nil, serverHost: "127.0.0.1") == S3Address(bucket: "lab", key: ""))
        #expect(S3Address(rawPath: "/lab/", host: nil, serverHost: "127.0.0.1") == S3Address(bucket: "lab", key: ""))
        #expect(S3Address(rawPath: "/", host: nil, serverHost: "127.0.0.1") == S3Address(bucket: "", key: ""))
        #expect(S3Address(rawPath: "/lab/dir//x/", host: nil, serverHost: "127.0.0.1")?.key == "dir//x/")
        #expect(S3Address(rawPath: "/lab/%ZZ", host: nil, serverHost: "127.0.0.1") == nil)
    }

    @Test func virtualHostStyle() {
        #expect(S3Address(rawPath: "/k/1", host: "lab.localhost:9000", serverHost: "127.0.0.1") == S3Address(bucket: "lab", key: "k/1"))
        #expect(S3Address(rawPath: "/", host: "my.lab.sagebox.test", serverHost: "sagebox.test") == S3Address(bucket: "my.lab", key: ""))
        #expect(S3Address(rawPath: "/lab/k", host: "localhost:9000", serverHost: "localhost") == S3Address(bucket: "lab", key: "k"))
    }

    @Test func queryStrings() {
        let query = QueryString("delete&list-type=2&prefix=a%2Fb+c&empty=")
        #expect(query.has("delete"))
        #expect(query["delete"] == "")
        #expect(query["list-type"] == "2")
        #expect(query["prefix"] == "a/b c")
        #expect(query["missing"] == nil)
        #expect(PercentEncoding.encode("a b+c/é") == "a%20b%2Bc/%C3%A9")
    }

    @Test func serviceRoutes() {
        var json = HTTPFields()
        json[named: "X-Amz-Target"] = "SageMaker.ListProcessingJobs"
        #expect(ServiceRoute.identify(method: .post, path: "/", headers: json) == .sageMaker(target: "SageMaker.ListProcessingJobs"))
        json[named: "X-Amz-Target"] = "Logs_20140328.GetLogEvents"
        #expect(ServiceRoute.identify(method: .post, path: "/", headers: json) == .logs(target: "Logs_20140328.GetLogEvents"))
        json[named: "X-Amz-Target"] = "DynamoDB_20120810.ListTables"
        #expect(ServiceRoute.identify(method: .post, path: "/", headers: json) == .unknownTarget("DynamoDB_20120810.ListTables"))

        var form = HTTPFields()
        form[.contentType] = "application/x-www-form-urlencoded; charset=utf-8"
        #expect(ServiceRoute.identify(method: .post, path: "/", headers: form) == .queryProtocol)
        // A JSON 1.1 body without a target is answered in JSON, not as an S3 request.
        let untargeted: HTTPFields = [.contentType: "application/x-amz-json-1.1"]
        #expect(ServiceRoute.identify(method: .post, path: "/", headers: untargeted) == .unknownTarget(""))
        #expect(ServiceRoute.identify(method: .post, path: "/lab?delete", headers: HTTPFields()) == .s3)
        #expect(ServiceRoute.identify(method: .get, path: "/", headers: HTTPFields()) == .s3)
        // SageMaker Runtime's InvokeEndpoint, signed for `sagemaker`, is not an S3 POST to bucket "endpoints".
        let runtime: HTTPFields = [.authorization: "AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/sagemaker/aws4_request, SignedHeaders=host, Signature=0"]
        #expect(ServiceRoute.identify(method: .post, path: "/endpoints/churn/invocations", headers: runtime)
            == .unknownTarget("SageMakerRuntime.InvokeEndpoint"))
        #expect(ServiceRoute.identify(method: .post, path: "/endpoints/churn/invocations", headers: HTTPFields()) == .s3)

        var signed = HTTPFields()
        signed[.authorization] = "AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=x"
        #expect(ServiceRoute.signingService(signed) == "sts")
    }

    @Test func s3Operations() {
        func op(_ method: HTTPRequest.Method, _ path: String, _ query: String = "", copy: Bool = false) -> S3Operation {
            var headers = HTTPFields()
            if copy { headers[named: "x-amz-copy-source"] = "/a/b" }
            let address = S3Address(rawPath: path, host: nil, serverHost: "127.0.0.1")!
            return S3Operation.identify(method: method, address: address, query: QueryString(query), headers: headers)
        }
        #expect(op(.get, "/") == .listBuckets)
        #expect(op(.put, "/lab") == .createBucket)
        #expect(op(.head, "/lab") == .headBucket)
        #expect(op(.get, "/lab", "list-type=2&prefix=x") == .listObjectsV2)
        #expect(op(.get, "/lab", "prefix=x") == .listObjects)
        #expect(op(.get, "/lab", "location") == .getBucketLocation)
        #expect(op(.post, "/lab", "delete") == .deleteObjects)
        #expect(op(.put, "/lab/k") == .putObject)
        #expect(op(.put, "/lab/k", copy: true) == .copyObject)
        #expect(op(.post, "/lab/k", "uploads") == .createMultipartUpload)
        #expect(op(.put, "/lab/k", "partNumber=1&uploadId=ab") == .uploadPart)
        #expect(op(.put, "/lab/k", "partNumber=1&uploadId=ab", copy: true) == .uploadPartCopy)
        #expect(op(.post, "/lab/k", "uploadId=ab") == .completeMultipartUpload)
        #expect(op(.get, "/lab", "versions") == .listObjectVersions)
        #expect(op(.delete, "/lab/k", "uploadId=ab") == .abortMultipartUpload)
        #expect(op(.get, "/lab", "uploads") == .listMultipartUploads)
        #expect(op(.get, "/lab", "versioning") == .unsupported("bucket ?versioning"))
        #expect(op(.get, "/lab", "acl") == .getBucketAcl)
        #expect(op(.put, "/lab", "acl") == .putBucketAcl)
        #expect(op(.get, "/lab/k", "acl") == .getObjectAcl)
        #expect(op(.put, "/lab/k", "acl") == .putObjectAcl)
        #expect(op(.delete, "/lab/k", "acl") == .unsupported("DELETE on an object's ?acl"))
    }

    @Test func logsTokens() {
        #expect(LogsToken("f/00000000000000000042") == .forward(after: 42))
        #expect(LogsToken.forward(after: 42).text == "f/00000000000000000042")
        #expect(LogsToken("b/7") == .backward(before: 7))
        #expect(LogsToken("x/7") == nil)
        #expect(LogsToken("f/-1") == nil)
    }
}
