/// SELFIES → SMILES, exactly as selfies 1.0.4's `decoder` (default constraints) writes it.
///
/// Each `.`-separated fragment is derived independently (empty results dropped). The derivation state is the
/// number of bonds the previous atom can still make; atoms, branches (`[BranchL_X]`), rings (`[RingL]`,
/// `[Expl<b>RingL]`) and `[epsilon]` follow the 1.0.4 grammar rules, rings are formed after the chain, and the
/// SMILES is written in derivation order. Inputs on which selfies 1.0.4 raises any exception (malformed
/// brackets, symbols it cannot parse, too many H) throw `MoleculeError(.selfies, …)`.
public enum SelfiesDecoder {
    public static func decode(_ selfies: String) throws -> String {
        var parts: [String] = []
        for fragment in selfies.split(separator: ".", omittingEmptySubsequences: false) {
            let smiles = try translate(fragment)
            if !smiles.isEmpty { parts.append(smiles) }
        }
        return parts.joined(separator: ".")
    }

    struct Derived {
        var symbol: String
        var capacity: Int
        var previous: Int
    }

    /// Symbols of one fragment, parsed lazily as selfies' generator does: a malformed tail is only an error if the
    /// derivation reaches it.
    struct Stream {
        var chars: [UInt8] = []
        var left = -1                // index of the next '[' in `chars`, or past the end
        var buffered: [String]? = nil  // a branch's pre-read symbols instead of `chars`
        var position = 0

        init(fragment: Substring) {
            chars = Array(fragment.utf8)
            left = chars.firstIndex(of: UInt8(ascii: "[")) ?? chars.count
        }
        init(symbols: [String]) { buffered = symbols }

        var isExhausted: Bool {
            if let b = buffered { return position >= b.count }
            return left >= chars.count
        }

        mutating func next() throws -> String {
            if let b = buffered {
                while position < b.count {
                    position += 1
                    if b[position - 1] != "[nop]" { return b[position - 1] }
                }
                return ""
            }
            while left < chars.count {
                guard chars[left] == UInt8(ascii: "[") else { throw MoleculeError(.selfies, "misplaced or missing brackets") }
                var right = left + 1
                while right < chars.count && chars[right] != UInt8(ascii: "]") { right += 1 }
                guard right < chars.count else { throw MoleculeError(.selfies, "misplaced or missing brackets") }
                let symbol = String(decoding: chars[left ... right], as: UTF8.self)
                left = right + 1
                if symbol != "[nop]" { return symbol }
            }
            return ""
        }
    }

    static func translate(_ fragment: Substring) throws -> String {
        var stream = Stream(fragment: fragment)
        var derived: [Derived] = []
        var branches: [Int: Int] = [:]
        var branchOrder: [Int] = []
        var rings: [(left: Int, right: Int, bond: String)] = []
        try derive(&stream, state: 0, derived: &derived, previous: -1, branches: &branches, branchOrder: &branchOrder,
                   rings: &rings)
        formRings(&derived, rings)
        for start in branchOrder {
            guard let end = branches[start] else { continue }
            derived[start].symbol = "(" + derived[start].symbol
            derived[end].symbol += ")"
        }
        return derived.map(\.symbol).joined()
    }

    static func digit(_ c: UInt8?) throws -> Int {
        guard let c, SelfiesGrammar.isDigit(c) else { throw MoleculeError(.selfies, "bad branch or ring symbol") }
        return Int(c - 48)
    }

    static func derive(_ stream: inout Stream, state initial: Int, derived: inout [Derived], previous prev0: Int,
                       branches: inout [Int: Int], branchOrder: inout [Int], rings: inout [(left: Int, right: Int, bond: String)],
                       depth: Int = 0) throws {
        if depth > SelfiesKekulizer.depthLimit { throw MoleculeError(.selfies, "branches nested too deeply") }
        var state = initial
        var previous = prev0
        var symbol = try stream.next()
        while !symbol.isEmpty && state >= 0 {
            var newState = state
            if symbol.contains("Branch") {
                let chars = Array(symbol.utf8)
                let type = try digit(chars.count >= 2 ? chars[chars.count - 2] : nil)
                guard (1 ... 3).contains(type) else { throw MoleculeError(.selfies, "unknown branch symbol \(symbol)") }
                var branchInit = -1
                if (2 ... 8).contains(state) {
                    branchInit = min(state - 1, type)
                    newState = state - branchInit
                }
                if state > 1 {
                    let l = try digit(chars.count >= 4 ? chars[chars.count - 4] : nil)
                    var lengthSymbols: [String] = []
                    for _ in 0 ..< l { lengthSymbols.append(try stream.next()) }
                    let n = SelfiesGrammar.number(from: lengthSymbols)
                    var branchSymbols: [String] = []
                    var k = 0
                    while k <= n && !stream.isExhausted { branchSymbols.append(try stream.next()); k += 1 }
                    var branchStream = Stream(symbols: branchSymbols)
                    var start = derived.count
                    try derive(&branchStream, state: branchInit, derived: &derived, previous: previous,
                               branches: &branches, branchOrder: &branchOrder, rings: &rings, depth: depth + 1)
                    let end = derived.count - 1
                    while let next = branches[start] { start = next + 1 }
                    if start <= end {
                        if branches[start] == nil { branchOrder.append(start) }
                        branches[start] = end
                    }
                }
            } else if symbol.contains("Ring") {
                if state != 0 {
                    let chars = Array(symbol.utf8)
                    let l = try digit(chars.count >= 2 ? chars[chars.count - 2] : nil)
                    var lengthSymbols: [String] = []
                    for _ in 0 ..< l { lengthSymbols.append(try stream.next()) }
                    let n = SelfiesGrammar.number(from: lengthSymbols)
                    var bond = ""
                    if chars.count >= 5 && chars[1 ..< 5].elementsEqual("Expl".utf8) {
                        guard chars.count > 5 else { throw MoleculeError(.selfies, "malformed ring symbol") }
                        bond = String(decoding: chars[5 ... 5], as: UTF8.self)
                    }
                    rings.append((max(0, previous - (n + 1)), previous, bond))
                }
            } else {
                let (atom, next) = try nextState(symbol, state)
                newState = next
                if !atom.isEmpty {
                    derived.append(Derived(symbol: atom, capacity: next, previous: previous))
                    if previous >= 0 { derived[previous].capacity -= SelfiesGrammar.bondOrder(first: atom.utf8.first) }
                    previous = derived.count - 1
                }
            }
            symbol = try stream.next()
            state = newState
        }
    }

    /// `get_next_state`: the SMILES text of an atom symbol and the state after it.
    static func nextState(_ symbol: String, _ state: Int) throws -> (String, Int) {
        if symbol == "[epsilon]" { return ("", state == 0 ? 0 : -1) }
        let bytes = Array(symbol.utf8)
        guard bytes.count >= 2 else { throw MoleculeError(.selfies, "malformed symbol \(symbol)") }
        var bond = ""
        switch bytes[1] {
        case UInt8(ascii: "/"): bond = "/"
        case UInt8(ascii: "\\"): bond = "\\"
        case UInt8(ascii: "="): bond = "="
        case UInt8(ascii: "#"): bond = "#"
        default: break
        }
        var bondNumber = SelfiesGrammar.bondOrder(bond)
        let body: [UInt8]
        let lo = 1 + bond.utf8.count
        if symbol.hasSuffix("expl]") {
            let hi = bytes.count - 5
            body = [UInt8(ascii: "[")] + (lo < hi ? Array(bytes[lo ..< hi]) : []) + [UInt8(ascii: "]")]
        } else {
            let hi = bytes.count - 1
            body = lo < hi ? Array(bytes[lo ..< hi]) : []
        }
        let parsed: (element: String, hydrogens: Int, charge: Int)
        do { parsed = try SelfiesGrammar.parseAtom(body) } catch {
            throw MoleculeError(.selfies, "cannot parse symbol \(symbol)")
        }
        var maxBonds = SelfiesGrammar.capacity(element: parsed.element, charge: parsed.charge)
        if parsed.hydrogens > maxBonds || (parsed.hydrogens == maxBonds && state > 0) {
            throw MoleculeError(.selfies, "too many Hs in symbol \(symbol)")
        }
        maxBonds -= parsed.hydrogens
        let next: Int
        if state == 0 {
            bond = ""
            next = maxBonds
        } else {
            if bondNumber > min(state, maxBonds) {
                bondNumber = min(state, maxBonds)
                bond = SelfiesGrammar.bondSymbol(bondNumber)
            }
            let n = maxBonds - bondNumber
            next = n == 0 ? -1 : n
        }
        return (bond + String(decoding: body, as: UTF8.self), next)
    }

    /// `_form_rings_bilocally`: resolves ring requests in order, then numbers ring bonds 1, 2, …, %10, ….
    static func formRings(_ derived: inout [Derived], _ rings: [(left: Int, right: Int, bond: String)]) {
        var locations: [(left: Int, right: Int)] = []
        var locationBond: [Int: String] = [:]   // key: index into `locations`
        for ring in rings {
            let (l, r) = (ring.left, ring.right)
            if l == r { continue }
            var bond = ring.bond
            var bondNumber = SelfiesGrammar.bondOrder(bond)
            if derived[l].capacity <= 0 || derived[r].capacity <= 0 { continue }
            let room = min(derived[l].capacity, derived[r].capacity)
            if bondNumber > room {
                bondNumber = room
                bond = SelfiesGrammar.bondSymbol(bondNumber)
            }
            if l == derived[r].previous {
                let symbol = derived[r].symbol
                var old = ""
                if let f = symbol.first, "-/\\=#".contains(f) { old = String(f) }
                let newNumber = min(bondNumber + SelfiesGrammar.bondOrder(old), 3)
                derived[r].symbol = SelfiesGrammar.bondSymbol(newNumber) + symbol.dropFirst(old.count)
            } else if let k = locations.firstIndex(where: { $0.left == l && $0.right == r }) {
                let newNumber = min(bondNumber + SelfiesGrammar.bondOrder(locationBond[k] ?? ""), 3)
                locationBond[k] = SelfiesGrammar.bondSymbol(newNumber)
            } else {
                locationBond[locations.count] = bond
                locations.append((l, r))
            }
            derived[l].capacity -= bondNumber
            derived[r].capacity -= bondNumber
        }
        for (k, loc) in locations.enumerated() {
            let id = k + 1
            let label = id >= 10 && id < 100 ? "%\(id)" : "\(id)"
            let bond = locationBond[k] ?? ""
            derived[loc.left].symbol += bond + label
            derived[loc.right].symbol += bond + label
        }
    }
}
