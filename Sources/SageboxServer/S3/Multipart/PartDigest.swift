#if canImport(Glibc)
import Glibc
#endif

/// A part's MD5 kept on its own file, as the extended attribute `user.sagebox.md5`: an attribute
/// belongs to the inode, so renaming a part into place switches its bytes and its MD5 at once, where a
/// file beside the part would be a second write that re-sends of the same part could interleave.
/// Recording is best effort: where the file system keeps no user attributes, readers compute the MD5
/// from the bytes they hold open.
enum PartDigest {
    static let attribute = "user.sagebox.md5"
    /// 32 hex digits.
    private static let length = 32

    static func record(_ md5Hex: String, onFileAt path: String) {
        guard let setxattr = Calls.setxattr else { return }
        _ = md5Hex.withCString { setxattr(path, attribute, $0, strlen($0), 0) }
    }

    static func record(_ md5Hex: String, onDescriptor descriptor: Int32) {
        guard let fsetxattr = Calls.fsetxattr else { return }
        _ = md5Hex.withCString { fsetxattr(descriptor, attribute, $0, strlen($0), 0) }
    }

    /// The recorded MD5 of the file open as `descriptor`, or nil when there is none (or not a valid one).
    static func read(_ descriptor: Int32) -> String? {
        guard let fgetxattr = Calls.fgetxattr else { return nil }
        var buffer = [UInt8](repeating: 0, count: length + 1)
        let count = fgetxattr(descriptor, attribute, &buffer, buffer.count)
        guard count == length else { return nil }
        let text = String(decoding: buffer[0..<length], as: UTF8.self)
        return text.allSatisfy(\.isHexDigit) ? text.lowercased() : nil
    }

    /// The xattr calls from libc, looked up at run time: Swift's Glibc module does not include
    /// <sys/xattr.h>. Nil where libc lacks them, and then nothing is recorded.
    private enum Calls {
        typealias SetPath = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeRawPointer, Int, Int32) -> Int32
        typealias SetDescriptor = @convention(c) (Int32, UnsafePointer<CChar>, UnsafeRawPointer, Int, Int32) -> Int32
        typealias GetDescriptor = @convention(c) (Int32, UnsafePointer<CChar>, UnsafeMutableRawPointer, Int) -> Int

        static let setxattr = dlsym(nil, "setxattr").map { unsafeBitCast($0, to: SetPath.self) }
        static let fsetxattr = dlsym(nil, "fsetxattr").map { unsafeBitCast($0, to: SetDescriptor.self) }
        static let fgetxattr = dlsym(nil, "fgetxattr").map { unsafeBitCast($0, to: GetDescriptor.self) }
    }
}
