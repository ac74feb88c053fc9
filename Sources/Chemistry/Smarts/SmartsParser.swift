/// Why a SMARTS string could not be parsed: the message and the 1-based character position.
public struct SmartsError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public let position: Int
    public let smarts: String

    public var description: String { "invalid SMARTS '\(smarts)': \(message) at position \(position)" }
}

/// Recursive-descent SMARTS reader (Daylight grammar, RDKit semantics) producing the query graph of a
/// `SmartsPattern`.
///
/// Supported: organic and bracket atoms; `*`, `a`, `A`, `#n`, element symbols (organic-subset symbols are
/// aliphatic, lower-case ones aromatic, other elements match by atomic number as in RDKit), isotopes, `H h D X v
/// R r x` with or without a count, charges (`+`, `++`, `+2`, `-`, `+0`), chirality (`@`, `@@`, `@TH1`: parsed and
/// ignored, as RDKit does without `useChirality`), atom maps (`:1`), recursive `$(...)` (nested too); the
/// operators `!` > `&`/juxtaposition > `,` > `;`; bonds `- = # : ~ @ / \` with the same operators; branches,
/// ring closures (`1`, `%12`, `%(123)`) and dot-separated parts (no component constraint). Rejected with a clear
/// error: hybridisation `^`, component grouping `(…).(…)`, reaction arrows, and anything else unknown.
struct SmartsParser {
    let text: String
    let bytes: [UInt8]
    var pos = 0

    var atomNodes = QueryTree()
    var atomRoots: [Int32] = []
    var atomMaps: [Int32] = []
    var bondNodes = QueryTree()
    var bondAtoms: [(Int32, Int32)] = []
    var bondRoots: [Int32] = []
    var recursive: [SmartsPattern] = []

    init(_ smarts: String) {
        text = smarts
        bytes = Array(smarts.utf8)
    }

    func error(_ message: String, at position: Int? = nil) -> SmartsError {
        SmartsError(message: message, position: (position ?? pos) + 1, smarts: text)
    }

    @inline(__always) func peek(_ offset: Int = 0) -> UInt8? {
        pos + offset < bytes.count ? bytes[pos + offset] : nil
    }

    static func isDigit(_ c: UInt8?) -> Bool { c.map { $0 >= 48 && $0 <= 57 } ?? false }
    static func isUpper(_ c: UInt8?) -> Bool { c.map { $0 >= 65 && $0 <= 90 } ?? false }
    static func isLower(_ c: UInt8?) -> Bool { c.map { $0 >= 97 && $0 <= 122 } ?? false }

    mutating func readNumber() -> Int? {
        var value = 0, any = false
        while Self.isDigit(peek()), value < 100_000 {
            value = value * 10 + Int(bytes[pos] - 48)
            pos += 1
            any = true
        }
        return any ? value : nil
    }

    // MARK: - Chain level

    struct PendingRing {
        var atom: Int32
        var bond: Int32   // bond query root in bondNodes, -1 = unspecified
        var position: Int
    }

    mutating func parse() throws -> SmartsPattern {
        if bytes.isEmpty { throw error("empty pattern", at: 0) }
        var prev: Int32 = -1
        var pendingBond: Int32 = -1
        var pendingBondPos = 0
        var branches: [Int32] = []
        var rings: [Int: PendingRing] = [:]
        var afterDot = true
        while pos < bytes.count {
            let c = bytes[pos]
            switch c {
            case UInt8(ascii: "("):
                if prev < 0 {
                    throw error(afterDot && atomRoots.isEmpty ? "component grouping '(…)' is not supported" : "branch without a preceding atom")
                }
                if pendingBond >= 0 { throw error("bond before '('") }
                branches.append(prev)
                pos += 1
                if peek() == UInt8(ascii: ")") { throw error("empty branch") }
            case UInt8(ascii: ")"):
                if pendingBond >= 0 { throw error("bond before ')'") }
                guard let top = branches.popLast() else { throw error("unmatched ')'") }
                prev = top
                pos += 1
            case UInt8(ascii: "."):
                if prev < 0 || pendingBond >= 0 || !branches.isEmpty { throw error("misplaced '.'") }
                prev = -1
                afterDot = true
                pos += 1
            case UInt8(ascii: ">"):
                throw error("reaction SMARTS is not supported")
            case UInt8(ascii: "%"), 48 ... 57:
                guard prev >= 0 else { throw error("ring closure without a preceding atom") }
                let at = pos
                let label = try readRingLabel()
                if let open = rings.removeValue(forKey: label) {
                    if open.atom == prev { throw error("ring closure to the same atom", at: at) }
                    var bond = pendingBond
                    if bond < 0 { bond = open.bond } else if open.bond >= 0 {
                        // Both ends carry a bond: RDKit requires them to be the same query.
                        if bondNodes.nodes[Int(open.bond)] != bondNodes.nodes[Int(bond)] {
                            throw error("conflicting bonds on ring closure \(label)", at: at)
                        }
                    }
                    try addBond(open.atom, prev, bond)
                } else {
                    rings[label] = PendingRing(atom: prev, bond: pendingBond, position: at)
                }
                pendingBond = -1
            case UInt8(ascii: "-"), UInt8(ascii: "="), UInt8(ascii: "#"), UInt8(ascii: ":"), UInt8(ascii: "~"),
                 UInt8(ascii: "@"), UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "!"), UInt8(ascii: "&"),
                 UInt8(ascii: ","), UInt8(ascii: ";"):
                if prev < 0 { throw error("bond without a preceding atom") }
                if pendingBond >= 0 { throw error("two bonds in a row") }
                pendingBondPos = pos
                pendingBond = try parseBondExpression()
            default:
                let atom = try parseAtom()
                if prev >= 0 { try addBond(prev, atom, pendingBond) } else if pendingBond >= 0 {
                    throw error("bond without a preceding atom", at: pendingBondPos)
                }
                pendingBond = -1
                prev = atom
                afterDot = false
            }
        }
        if pendingBond >= 0 { throw error("pattern ends with a bond", at: pendingBondPos) }
        if !branches.isEmpty { throw error("unclosed branch") }
        if let open = rings.values.min(by: { $0.position < $1.position }) {
            throw error("unclosed ring", at: open.position)
        }
        if afterDot { throw error("pattern ends with '.'") }
        return SmartsPattern(smarts: text, atomNodes: atomNodes.nodes, atomRoots: atomRoots, atomMaps: atomMaps,
                             bondNodes: bondNodes.nodes, bondAtoms: bondAtoms, bondRoots: bondRoots,
                             recursive: recursive)
    }

    mutating func readRingLabel() throws -> Int {
        if bytes[pos] == UInt8(ascii: "%") {
            pos += 1
            if peek() == UInt8(ascii: "(") {
                pos += 1
                guard let n = readNumber(), peek() == UInt8(ascii: ")") else { throw error("bad ring label %(…)") }
                pos += 1
                return n
            }
            guard Self.isDigit(peek()), Self.isDigit(peek(1)) else { throw error("'%' needs two digits") }
            let n = Int(bytes[pos] - 48) * 10 + Int(bytes[pos + 1] - 48)
            pos += 2
            return n
        }
        let n = Int(bytes[pos] - 48)
        pos += 1
        return n
    }

    mutating func addBond(_ a: Int32, _ b: Int32, _ query: Int32) throws {
        for (x, y) in bondAtoms where (x == a && y == b) || (x == b && y == a) {
            throw error("two bonds between the same atoms")
        }
        var root = query
        if root < 0 { root = bondNodes.leaf(BondPrimitive.singleOrAromatic) }
        bondAtoms.append((a, b))
        bondRoots.append(root)
    }

    // MARK: - Bonds

    /// bond := lowAnd;  lowAnd := or (';' or)*;  or := highAnd (',' highAnd)*;  highAnd := unary ('&'? unary)*
    mutating func parseBondExpression() throws -> Int32 {
        var left = try parseBondOr()
        while peek() == UInt8(ascii: ";") {
            pos += 1
            left = bondNodes.combine(QueryLogic.and, left, try parseBondOr())
        }
        return left
    }

    mutating func parseBondOr() throws -> Int32 {
        var left = try parseBondAnd()
        while peek() == UInt8(ascii: ",") {
            pos += 1
            left = bondNodes.combine(QueryLogic.or, left, try parseBondAnd())
        }
        return left
    }

    static func startsBondPrimitive(_ c: UInt8?) -> Bool {
        guard let c else { return false }
        return "-=#:~@/\\!".utf8.contains(c)
    }

    mutating func parseBondAnd() throws -> Int32 {
        var left = try parseBondUnary()
        while true {
            if peek() == UInt8(ascii: "&") {
                pos += 1
                left = bondNodes.combine(QueryLogic.and, left, try parseBondUnary())
            } else if Self.startsBondPrimitive(peek()) {
                left = bondNodes.combine(QueryLogic.and, left, try parseBondUnary())
            } else {
                return left
            }
        }
    }

    mutating func parseBondUnary() throws -> Int32 {
        guard let c = peek() else { throw error("bond expression ends early") }
        pos += 1
        switch c {
        case UInt8(ascii: "!"):
            let inner = try parseBondUnary()
            return bondNodes.add(QueryNode(kind: QueryLogic.not, value: 0, left: inner))
        case UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "\\"):
            return bondNodes.leaf(BondPrimitive.order, Int32(BondOrder.single.rawValue))
        case UInt8(ascii: "="): return bondNodes.leaf(BondPrimitive.order, Int32(BondOrder.double.rawValue))
        case UInt8(ascii: "#"): return bondNodes.leaf(BondPrimitive.order, Int32(BondOrder.triple.rawValue))
        case UInt8(ascii: ":"): return bondNodes.leaf(BondPrimitive.aromaticFlag)
        case UInt8(ascii: "~"): return bondNodes.leaf(BondPrimitive.any)
        case UInt8(ascii: "@"): return bondNodes.leaf(BondPrimitive.inRing)
        default:
            pos -= 1
            throw error("unexpected '\(Character(UnicodeScalar(c)))' in a bond")
        }
    }

    // MARK: - Atoms

    static let organicSubset: Set<Int> = [5, 6, 7, 8, 9, 15, 16, 17, 35, 53]
    static let aromaticSymbols: [String: Int] = ["b": 5, "c": 6, "n": 7, "o": 8, "p": 15, "s": 16, "se": 34,
                                                 "te": 52, "as": 33, "si": 14]

    mutating func newAtom(_ root: Int32, map: Int32 = 0) -> Int32 {
        atomRoots.append(root)
        atomMaps.append(map)
        return Int32(atomRoots.count - 1)
    }

    mutating func parseAtom() throws -> Int32 {
        let c = bytes[pos]
        if c == UInt8(ascii: "[") {
            pos += 1
            let start = pos
            var map: Int32 = 0
            let root = try parseAtomExpression(bracketStart: start, map: &map)
            guard peek() == UInt8(ascii: "]") else {
                throw error(peek() == nil ? "unclosed '['" : "unexpected '\(Character(UnicodeScalar(bytes[pos])))' in an atom")
            }
            pos += 1
            return newAtom(root, map: map)
        }
        // Unbracketed: organic subset, aromatic organic, *, a, A.
        let start = pos
        switch c {
        case UInt8(ascii: "*"):
            pos += 1
            return newAtom(atomNodes.leaf(QueryLogic.always))
        case UInt8(ascii: "a"):
            pos += 1
            return newAtom(atomNodes.leaf(AtomPrimitive.aromatic))
        case UInt8(ascii: "A"):
            pos += 1
            return newAtom(atomNodes.leaf(AtomPrimitive.aliphatic))
        case UInt8(ascii: "C"):
            pos += 1
            if peek() == UInt8(ascii: "l") { pos += 1; return newAtom(atomNodes.leaf(AtomPrimitive.atomType, 17)) }
            return newAtom(atomNodes.leaf(AtomPrimitive.atomType, 6))
        case UInt8(ascii: "B"):
            pos += 1
            if peek() == UInt8(ascii: "r") { pos += 1; return newAtom(atomNodes.leaf(AtomPrimitive.atomType, 35)) }
            return newAtom(atomNodes.leaf(AtomPrimitive.atomType, 5))
        case UInt8(ascii: "N"): pos += 1; return newAtom(atomNodes.leaf(AtomPrimitive.atomType, 7))
        case UInt8(ascii: "O"): pos += 1; return newAtom(atomNodes.leaf(AtomPrimitive.atomType, 8))
        case UInt8(ascii: "P"): pos += 1; return newAtom(atomNodes.leaf(AtomPrimitive.atomType, 15))
        case UInt8(ascii: "S"): pos += 1; return newAtom(atomNodes.leaf(AtomPrimitive.atomType, 16))
        case UInt8(ascii: "F"): pos += 1; return newAtom(atomNodes.leaf(AtomPrimitive.atomType, 9))
        case UInt8(ascii: "I"): pos += 1; return newAtom(atomNodes.leaf(AtomPrimitive.atomType, 53))
        case UInt8(ascii: "b"): pos += 1; return newAtom(atomNodes.leaf(AtomPrimitive.atomType, 1005))
        case UInt8(ascii: "c"): pos += 1; return newAtom(atomNodes.leaf(AtomPrimitive.atomType, 1006))
        case UInt8(ascii: "n"): pos += 1; return newAtom(atomNodes.leaf(AtomPrimitive.atomType, 1007))
        case UInt8(ascii: "o"): pos += 1; return newAtom(atomNodes.leaf(AtomPrimitive.atomType, 1008))
        case UInt8(ascii: "p"): pos += 1; return newAtom(atomNodes.leaf(AtomPrimitive.atomType, 1015))
        case UInt8(ascii: "s"): pos += 1; return newAtom(atomNodes.leaf(AtomPrimitive.atomType, 1016))
        default:
            throw error("unexpected '\(Character(UnicodeScalar(c)))' (atoms outside the organic subset need brackets)",
                        at: start)
        }
    }

    /// Bracket contents: lowAnd := or (';' or)*; or := highAnd (',' highAnd)*; highAnd := unary ('&'? unary)*.
    mutating func parseAtomExpression(bracketStart: Int, map: inout Int32) throws -> Int32 {
        var left = try parseAtomOr(bracketStart: bracketStart, map: &map)
        while peek() == UInt8(ascii: ";") {
            pos += 1
            left = atomNodes.combine(QueryLogic.and, left, try parseAtomOr(bracketStart: bracketStart, map: &map))
        }
        return left
    }

    mutating func parseAtomOr(bracketStart: Int, map: inout Int32) throws -> Int32 {
        var left = try parseAtomAnd(bracketStart: bracketStart, map: &map)
        while peek() == UInt8(ascii: ",") {
            pos += 1
            left = atomNodes.combine(QueryLogic.or, left, try parseAtomAnd(bracketStart: bracketStart, map: &map))
        }
        return left
    }

    mutating func parseAtomAnd(bracketStart: Int, map: inout Int32) throws -> Int32 {
        var left = try parseAtomUnary(bracketStart: bracketStart, map: &map)
        while let c = peek() {
            if c == UInt8(ascii: "&") {
                pos += 1
                left = atomNodes.combine(QueryLogic.and, left, try parseAtomUnary(bracketStart: bracketStart, map: &map))
            } else if c == UInt8(ascii: "]") || c == UInt8(ascii: ",") || c == UInt8(ascii: ";") {
                return left
            } else if c == UInt8(ascii: ":") {
                // Atom map number: a property of the atom, not a query.
                pos += 1
                guard let n = readNumber() else { throw error("':' needs an atom map number") }
                map = Int32(clamping: n)
            } else {
                left = atomNodes.combine(QueryLogic.and, left, try parseAtomUnary(bracketStart: bracketStart, map: &map))
            }
        }
        return left
    }

    mutating func parseAtomUnary(bracketStart: Int, map: inout Int32) throws -> Int32 {
        guard let c = peek() else { throw error("unclosed '['") }
        if c == UInt8(ascii: "!") {
            pos += 1
            let inner = try parseAtomUnary(bracketStart: bracketStart, map: &map)
            return atomNodes.add(QueryNode(kind: QueryLogic.not, value: 0, left: inner))
        }
        if c == UInt8(ascii: ":") {
            pos += 1
            guard let n = readNumber() else { throw error("':' needs an atom map number") }
            map = Int32(clamping: n)
            return atomNodes.leaf(QueryLogic.always)
        }
        return try parseAtomPrimitive(bracketStart: bracketStart)
    }

    /// Count after a primitive letter; `nil` if none is written.
    mutating func optionalCount() -> Int32? { readNumber().map { Int32(clamping: $0) } }

    mutating func parseAtomPrimitive(bracketStart: Int) throws -> Int32 {
        let start = pos
        let c = bytes[pos]
        // Isotope (a number where a primitive is expected). `[2H]` is a hydrogen atom.
        if Self.isDigit(c) {
            let n = readNumber()!
            let iso = atomNodes.leaf(AtomPrimitive.isotope, Int32(clamping: n))
            if peek() == UInt8(ascii: "H") && !Self.isLower(peek(1)) {
                pos += 1
                return atomNodes.combine(QueryLogic.and, iso, atomNodes.leaf(AtomPrimitive.atomicNumber, 1))
            }
            return iso
        }
        switch c {
        case UInt8(ascii: "*"):
            pos += 1
            return atomNodes.leaf(QueryLogic.always)
        case UInt8(ascii: "#"):
            pos += 1
            guard let n = readNumber(), n <= PeriodicTable.maxAtomicNumber else { throw error("'#' needs an atomic number") }
            return atomNodes.leaf(AtomPrimitive.atomicNumber, Int32(n))
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            pos += 1
            var charge: Int32 = 1
            if let n = readNumber() {
                charge = Int32(clamping: n)
            } else {
                while peek() == c { pos += 1; charge += 1 }
            }
            return atomNodes.leaf(AtomPrimitive.charge, c == UInt8(ascii: "+") ? charge : -charge)
        case UInt8(ascii: "@"):
            // Chirality: RDKit ignores it when matching without useChirality; we never use chirality.
            pos += 1
            if peek() == UInt8(ascii: "@") { pos += 1 }
            if let a = peek(), let b = peek(1),
               ["TH", "AL", "SP", "SQ", "TB", "OH"].contains(String(decoding: [a, b], as: UTF8.self)),
               Self.isDigit(peek(2)) {
                pos += 2
                _ = readNumber()
            }
            if peek() == UInt8(ascii: "?") { pos += 1 }
            return atomNodes.leaf(QueryLogic.always)
        case UInt8(ascii: "$"):
            pos += 1
            guard peek() == UInt8(ascii: "(") else { throw error("'$' must be followed by '('") }
            pos += 1
            let inner = pos
            // Parentheses inside brackets only come from nested `$(...)`, which are balanced themselves.
            var depth = 1
            while pos < bytes.count {
                let d = bytes[pos]
                if d == UInt8(ascii: "(") { depth += 1 } else if d == UInt8(ascii: ")") {
                    depth -= 1
                    if depth == 0 { break }
                }
                pos += 1
            }
            guard pos < bytes.count else { throw error("unclosed '$('", at: start) }
            let sub = String(decoding: bytes[inner ..< pos], as: UTF8.self)
            pos += 1
            let pattern: SmartsPattern
            do {
                pattern = try SmartsPattern(sub)
            } catch let e as SmartsError {
                throw error("in recursive SMARTS: \(e.message)", at: inner + e.position - 1)
            }
            recursive.append(pattern)
            return atomNodes.leaf(AtomPrimitive.recursive, Int32(recursive.count - 1))
        case UInt8(ascii: "^"):
            throw error("hybridisation queries (^) are not supported")
        default:
            break
        }
        // Element symbols (two-letter first, as RDKit's lexer does: [Cs] is caesium, [Sc] scandium).
        if Self.isUpper(c) {
            if let l = peek(1), Self.isLower(l) {
                let sym = String(decoding: [c, l], as: UTF8.self)
                if let z = PeriodicTable.atomicNumber(of: sym) {
                    pos += 2
                    return elementLeaf(z, aromatic: false)
                }
            }
            switch c {
            case UInt8(ascii: "H"):
                pos += 1
                // A leading H that is the whole atom (`[H]`, `[H+]`, `[H:1]`) is a hydrogen atom; elsewhere a count.
                if start == bracketStart, let n = peek(), n == UInt8(ascii: "]") || n == UInt8(ascii: "+")
                    || n == UInt8(ascii: "-") || n == UInt8(ascii: ":") {
                    return atomNodes.leaf(AtomPrimitive.atomicNumber, 1)
                }
                return atomNodes.leaf(AtomPrimitive.totalHydrogens, optionalCount() ?? 1)
            case UInt8(ascii: "D"):
                pos += 1
                return atomNodes.leaf(AtomPrimitive.degree, optionalCount() ?? 1)
            case UInt8(ascii: "X"):
                pos += 1
                return atomNodes.leaf(AtomPrimitive.totalDegree, optionalCount() ?? 1)
            case UInt8(ascii: "R"):
                pos += 1
                if let n = optionalCount() { return atomNodes.leaf(AtomPrimitive.ringCount, n) }
                return atomNodes.leaf(AtomPrimitive.inRing, 1)
            case UInt8(ascii: "A"):
                pos += 1
                return atomNodes.leaf(AtomPrimitive.aliphatic)
            default:
                let sym = String(UnicodeScalar(c))
                if let z = PeriodicTable.atomicNumber(of: sym), z > 0 {
                    pos += 1
                    return elementLeaf(z, aromatic: false)
                }
                throw error("unknown atom primitive '\(sym)'")
            }
        }
        if Self.isLower(c) {
            if let l = peek(1), Self.isLower(l), let z = Self.aromaticSymbols[String(decoding: [c, l], as: UTF8.self)] {
                pos += 2
                return elementLeaf(z, aromatic: true)
            }
            switch c {
            case UInt8(ascii: "a"):
                pos += 1
                return atomNodes.leaf(AtomPrimitive.aromatic)
            case UInt8(ascii: "h"):
                pos += 1
                if let n = optionalCount() { return atomNodes.leaf(AtomPrimitive.hydrogensNotInGraph, n) }
                return atomNodes.leaf(AtomPrimitive.hasHydrogensNotInGraph)
            case UInt8(ascii: "v"):
                pos += 1
                return atomNodes.leaf(AtomPrimitive.totalValence, optionalCount() ?? 1)
            case UInt8(ascii: "r"):
                pos += 1
                if let n = optionalCount() {
                    return n == 0 ? atomNodes.leaf(AtomPrimitive.inRing, 0) : atomNodes.leaf(AtomPrimitive.smallestRing, n)
                }
                return atomNodes.leaf(AtomPrimitive.inRing, 1)
            case UInt8(ascii: "x"):
                pos += 1
                if let n = optionalCount() { return atomNodes.leaf(AtomPrimitive.ringBondCount, n) }
                let zero = atomNodes.leaf(AtomPrimitive.ringBondCount, 0)
                return atomNodes.add(QueryNode(kind: QueryLogic.not, value: 0, left: zero))
            default:
                if let z = Self.aromaticSymbols[String(UnicodeScalar(c))] {
                    pos += 1
                    return elementLeaf(z, aromatic: true)
                }
                throw error("unknown atom primitive '\(Character(UnicodeScalar(c)))'")
            }
        }
        throw error("unexpected '\(Character(UnicodeScalar(c)))' in an atom")
    }

    /// RDKit: organic-subset symbols are aliphatic (`AtomType`), other elements match by atomic number only.
    mutating func elementLeaf(_ z: Int, aromatic: Bool) -> Int32 {
        if aromatic { return atomNodes.leaf(AtomPrimitive.atomType, Int32(1000 + z)) }
        if Self.organicSubset.contains(z) { return atomNodes.leaf(AtomPrimitive.atomType, Int32(z)) }
        return atomNodes.leaf(AtomPrimitive.atomicNumber, Int32(z))
    }
}
