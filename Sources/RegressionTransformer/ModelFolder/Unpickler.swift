/// A minimal, non-executing reader of Python pickles: enough of protocols 2–4 for a PyTorch state dict
/// (`torch.save(model.state_dict())`, spec: Tests/…/Fixtures/xlnet_parity/README.md).
///
/// Nothing is ever executed: `GLOBAL`s become `.global(module, name)` values and `REDUCE`/`NEWOBJ` become
/// `.call(callable, arguments)` values, except three callables known to build plain data —
/// `collections.OrderedDict` (→ `.dict`), `torch._utils._rebuild_tensor_v2` and `_rebuild_parameter`
/// (→ `.tensor`). Persistent ids (`BINPERSID`, how torch refers to storages) become `.persistent(id)`.
/// `BUILD` on a dict (the state dict's `_metadata` attribute) is accepted and ignored.
///
/// Errors name the file and the byte offset of the opcode at fault.
struct Unpickler {
    /// A value on the pickle stack.
    indirect enum Value {
        case none
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string(String)
        case bytes([UInt8])
        case tuple([Value])
        case list([Value])
        case dict([(key: Value, value: Value)])
        case global(module: String, name: String)
        case persistent(Value)
        case call(callable: Value, arguments: Value)
        case tensor(TensorReference)
    }

    /// `_rebuild_tensor_v2(storage, storage_offset, size, stride, …)` with the storage's persistent id resolved.
    struct TensorReference: Equatable {
        /// The storage's name in the archive (`data/<key>`).
        var storageKey: String
        /// The storage class, e.g. `FloatStorage`.
        var storageType: String
        /// Number of elements in the storage.
        var storageCount: Int
        var offset: Int
        var shape: [Int]
        var strides: [Int]
    }

    private let bytes: [UInt8]
    private let path: String
    private var position = 0
    private var stack: [Value] = []
    private var marks: [Int] = []
    private var memo: [Int: Value] = [:]

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    /// Runs the pickle program and returns the object it builds.
    mutating func load() throws -> Value {
        while true {
            let at = position
            let op = try byte()
            switch op {
            case 0x80: _ = try byte()                                   // PROTO
            case 0x95: _ = try read(8)                                  // FRAME (protocol 4)
            case 0x2E:                                                  // STOP
                guard let top = stack.popLast() else { throw fail(at, "STOP with an empty stack") }
                return top
            case 0x63:                                                  // GLOBAL module\nname\n
                let module = try line(), name = try line()
                stack.append(.global(module: module, name: name))
            case 0x93:                                                  // STACK_GLOBAL
                let name = try pop(at), module = try pop(at)
                guard case .string(let m) = module, case .string(let n) = name else {
                    throw fail(at, "STACK_GLOBAL needs two strings")
                }
                stack.append(.global(module: m, name: n))
            case 0x71: memo[Int(try byte())] = try top(at)              // BINPUT
            case 0x72: memo[Int(try uint32())] = try top(at)            // LONG_BINPUT
            case 0x94: memo[memo.count] = try top(at)                   // MEMOIZE
            case 0x68: try push(memoized: Int(try byte()), at)          // BINGET
            case 0x6A: try push(memoized: Int(try uint32()), at)        // LONG_BINGET
            case 0x28: marks.append(stack.count)                        // MARK
            case 0x29: stack.append(.tuple([]))                         // EMPTY_TUPLE
            case 0x74: stack.append(.tuple(try popToMark(at)))          // TUPLE
            case 0x85: stack.append(.tuple([try pop(at)]))              // TUPLE1
            case 0x86:                                                  // TUPLE2
                let b = try pop(at), a = try pop(at)
                stack.append(.tuple([a, b]))
            case 0x87:                                                  // TUPLE3
                let c = try pop(at), b = try pop(at), a = try pop(at)
                stack.append(.tuple([a, b, c]))
            case 0x5D: stack.append(.list([]))                          // EMPTY_LIST
            case 0x6C: stack.append(.list(try popToMark(at)))           // LIST
            case 0x61:                                                  // APPEND
                let v = try pop(at)
                try modifyList(at) { $0.append(v) }
            case 0x65:                                                  // APPENDS
                let items = try popToMark(at)
                try modifyList(at) { $0 += items }
            case 0x7D: stack.append(.dict([]))                          // EMPTY_DICT
            case 0x64:                                                  // DICT
                stack.append(.dict(try pairs(try popToMark(at), at)))
            case 0x73:                                                  // SETITEM
                let v = try pop(at), k = try pop(at)
                try modifyDict(at) { $0.append((k, v)) }
            case 0x75:                                                  // SETITEMS
                let items = try pairs(try popToMark(at), at)
                try modifyDict(at) { $0 += items }
            case 0x58: stack.append(.string(try utf8(Int(try uint32()), at)))       // BINUNICODE
            case 0x8C: stack.append(.string(try utf8(Int(try byte()), at)))         // SHORT_BINUNICODE
            case 0x8D: stack.append(.string(try utf8(try int64(at), at)))           // BINUNICODE8
            case 0x54: stack.append(.string(try utf8(Int(try uint32()), at)))       // BINSTRING (py2 str)
            case 0x55: stack.append(.string(try utf8(Int(try byte()), at)))         // SHORT_BINSTRING
            case 0x42: stack.append(.bytes(try read(Int(try uint32()))))            // BINBYTES
            case 0x43: stack.append(.bytes(try read(Int(try byte()))))              // SHORT_BINBYTES
            case 0x4A: stack.append(.int(Int(Int32(bitPattern: try uint32()))))     // BININT
            case 0x4B: stack.append(.int(Int(try byte())))                          // BININT1
            case 0x4D: stack.append(.int(Int(try byte()) | Int(try byte()) << 8))   // BININT2
            case 0x8A: stack.append(.int(try long(Int(try byte()), at)))            // LONG1
            case 0x47:                                                              // BINFLOAT (big-endian)
                var bits: UInt64 = 0
                for b in try read(8) { bits = bits << 8 | UInt64(b) }
                stack.append(.float(Double(bitPattern: bits)))
            case 0x88: stack.append(.bool(true))                        // NEWTRUE
            case 0x89: stack.append(.bool(false))                       // NEWFALSE
            case 0x4E: stack.append(.none)                              // NONE
            case 0x30: _ = try pop(at)                                  // POP
            case 0x31: _ = try popToMark(at)                            // POP_MARK
            case 0x32: stack.append(try top(at))                        // DUP
            case 0x51: stack.append(.persistent(try pop(at)))           // BINPERSID
            case 0x52, 0x81:                                            // REDUCE, NEWOBJ
                let arguments = try pop(at), callable = try pop(at)
                stack.append(try call(callable, arguments, at))
            case 0x62:                                                  // BUILD
                _ = try pop(at)  // the state; only dicts (state-dict metadata) reach here in practice
                guard !stack.isEmpty else { throw fail(at, "BUILD with an empty stack") }
            default:
                throw fail(at, "unsupported pickle opcode 0x\(String(op, radix: 16)) (not a PyTorch state dict?)")
            }
        }
    }

    // MARK: - Calls with known results

    private func call(_ callable: Value, _ arguments: Value, _ at: Int) throws -> Value {
        guard case .global(let module, let name) = callable, case .tuple(let args) = arguments else {
            return .call(callable: callable, arguments: arguments)
        }
        switch (module, name) {
        case ("collections", "OrderedDict"):
            guard args.isEmpty else { return .call(callable: callable, arguments: arguments) }
            return .dict([])
        case ("torch._utils", "_rebuild_tensor_v2"), ("torch._utils", "_rebuild_tensor"):
            return .tensor(try tensorReference(args, at))
        case ("torch._utils", "_rebuild_parameter"), ("torch._utils", "_rebuild_parameter_with_state"):
            guard let first = args.first, case .tensor = first else { throw fail(at, "\(name) of something that is not a tensor") }
            return first
        default:
            return .call(callable: callable, arguments: arguments)
        }
    }

    private func tensorReference(_ args: [Value], _ at: Int) throws -> TensorReference {
        guard args.count >= 4, case .persistent(let pid) = args[0], case .tuple(let id) = pid, id.count >= 5,
              case .string("storage") = id[0], case .global(_, let storageType) = id[1],
              case .string(let key) = id[2], case .int(let count) = id[4] else {
            throw fail(at, "a tensor whose storage is not a ('storage', type, key, location, size) persistent id")
        }
        guard case .int(let offset) = args[1], case .tuple(let size) = args[2], case .tuple(let stride) = args[3] else {
            throw fail(at, "a tensor without integer offset, size and stride")
        }
        func ints(_ values: [Value]) throws -> [Int] {
            try values.map { v in
                guard case .int(let i) = v, i >= 0 else { throw fail(at, "a tensor size or stride that is not a non-negative integer") }
                return i
            }
        }
        return TensorReference(storageKey: key, storageType: storageType, storageCount: count, offset: offset,
                               shape: try ints(size), strides: try ints(stride))
    }

    // MARK: - Stack and byte helpers

    private func fail(_ at: Int, _ why: String) -> ModelFolderError {
        ModelFolderError(path: path, "pickle byte \(at): \(why)")
    }

    private mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw fail(position, "truncated pickle (no STOP)") }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func read(_ n: Int) throws -> [UInt8] {
        guard n >= 0, position + n <= bytes.count else { throw fail(position, "truncated pickle (\(n) bytes wanted)") }
        defer { position += n }
        return Array(bytes[position..<(position + n)])
    }

    private mutating func uint32() throws -> UInt32 {
        let b = try read(4)
        return UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
    }

    private mutating func int64(_ at: Int) throws -> Int {
        let b = try read(8)
        var v: UInt64 = 0
        for (i, x) in b.enumerated() { v |= UInt64(x) << (8 * UInt64(i)) }
        guard v <= UInt64(Int.max) else { throw fail(at, "length out of range") }
        return Int(v)
    }

    /// LONG1: `n` bytes of little-endian two's complement.
    private mutating func long(_ n: Int, _ at: Int) throws -> Int {
        guard n <= 8 else { throw fail(at, "integer of \(n) bytes is too large") }
        let b = try read(n)
        guard n > 0 else { return 0 }
        var v: UInt64 = 0
        for (i, x) in b.enumerated() { v |= UInt64(x) << (8 * UInt64(i)) }
        if n < 8, b[n - 1] & 0x80 != 0 { v |= ~0 << (8 * UInt64(n)) }
        return Int(Int64(bitPattern: v))
    }

    private mutating func line() throws -> String {
        var out: [UInt8] = []
        while true {
            let b = try byte()
            if b == 0x0A { break }
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func utf8(_ n: Int, _ at: Int) throws -> String {
        let b = try read(n)
        guard let s = String(validating: b, as: UTF8.self) else { throw fail(at, "string is not UTF-8") }
        return s
    }

    private mutating func pop(_ at: Int) throws -> Value {
        guard let v = stack.popLast() else {
            throw fail(at, "stack underflow")
        }
        return v
    }

    private func top(_ at: Int) throws -> Value {
        guard let v = stack.last else { throw fail(at, "stack underflow") }
        return v
    }

    private mutating func push(memoized index: Int, _ at: Int) throws {
        guard let v = memo[index] else { throw fail(at, "memo entry \(index) was never stored") }
        stack.append(v)
    }

    private mutating func popToMark(_ at: Int) throws -> [Value] {
        guard let mark = marks.popLast(), mark <= stack.count else { throw fail(at, "no MARK on the stack") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private func pairs(_ items: [Value], _ at: Int) throws -> [(key: Value, value: Value)] {
        guard items.count % 2 == 0 else { throw fail(at, "odd number of items for a dict") }
        return stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }
    }

    private mutating func modifyList(_ at: Int, _ body: (inout [Value]) -> Void) throws {
        guard case .list(var l)? = stack.popLast() else { throw fail(at, "APPEND(S) to something that is not a list") }
        body(&l)
        stack.append(.list(l))
    }

    private mutating func modifyDict(_ at: Int, _ body: (inout [(key: Value, value: Value)]) -> Void) throws {
        guard case .dict(var d)? = stack.popLast() else { throw fail(at, "SETITEM(S) on something that is not a dict") }
        body(&d)
        stack.append(.dict(d))
    }
}
