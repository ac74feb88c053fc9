/// SMILES → SELFIES, exactly as selfies 1.0.4's `encoder` writes it.
///
/// The encoder keeps the SMILES atom and branch order. Atoms become `[<bond>X]` or `[<bond>…expl]` (bracket
/// atoms), `-` bonds are dropped, a branch becomes `[Branch<L>_<order of the bond after '('>]` plus L index
/// symbols for its length − 1, and a ring closure `[Ring<L>]` / `[Expl<bond>Ring<L>]` (the opening bond wins)
/// plus index symbols for the atom distance − 1. If any of the characters `c n o p a s` occurs, the string is first
/// kekulized by selfies' own matching (`SelfiesKekulizer`), whose first-found Kekulé structure decides the output.
/// Like selfies, it does not check chemistry. Inputs selfies rejects (wildcards `*`, unknown characters, ring
/// bonds across dots, failed kekulization, unsupported chirality classes) throw `MoleculeError(.selfies, …)`.
public enum SelfiesEncoder {
    enum SymbolType { case atom, branch, ring }

    /// One parsed SMILES token: the bond written before it, its text, its type.
    struct Token {
        var bond: String
        var symbol: String
        var type: SymbolType
    }

    public static func encode(_ smiles: String) throws -> String {
        let bytes = Array(smiles.utf8)
        if bytes.contains(UInt8(ascii: "*")) { throw MoleculeError(.selfies, "wildcard atom '*' not supported") }
        var out = ""
        var start = 0
        for k in 0 ... bytes.count where k == bytes.count || bytes[k] == UInt8(ascii: ".") {
            if start > 0 { out += "." }
            out += try translate(Array(bytes[start ..< k]))
            start = k + 1
        }
        return out
    }

    static func fail(_ message: String) -> MoleculeError { MoleculeError(.selfies, message) }

    @inline(__always) static func text(_ b: ArraySlice<UInt8>) -> String { String(decoding: b, as: UTF8.self) }

    /// `_parse_smiles` (ASCII semantics for letters and digits).
    static func tokens(_ s: [UInt8]) throws -> [Token] {
        var out: [Token] = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            var bond = ""
            switch s[i] {
            case UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "="), UInt8(ascii: "#"), UInt8(ascii: ":"):
                bond = text(s[i ... i])
                i += 1
                guard i < s.count else { throw fail("SMILES ends with a bond") }
            default: break
            }
            let c = s[i]
            if SelfiesGrammar.isAlpha(c) {
                if i + 1 < s.count && ((c == UInt8(ascii: "B") && s[i + 1] == UInt8(ascii: "r"))
                    || (c == UInt8(ascii: "C") && s[i + 1] == UInt8(ascii: "l"))) {
                    out.append(Token(bond: bond, symbol: text(s[i ... i + 1]), type: .atom))
                    i += 2
                } else {
                    out.append(Token(bond: bond, symbol: text(s[i ... i]), type: .atom))
                    i += 1
                }
            } else if c == UInt8(ascii: "(") || c == UInt8(ascii: ")") {
                let next = i + 1 < s.count ? text(s[(i + 1) ... (i + 1)]) : ""
                out.append(Token(bond: next, symbol: text(s[i ... i]), type: .branch))
                i += 1
            } else if c == UInt8(ascii: "[") {
                guard let r = s[(i + 1)...].firstIndex(of: UInt8(ascii: "]")) else { throw fail("malformed SMILES, missing ']'") }
                let symbol = s[i ... r]
                i = r + 1
                if let at = symbol.firstIndex(of: UInt8(ascii: "@")), at + 1 < symbol.endIndex,
                   SelfiesGrammar.isAlpha(symbol[at + 1]), symbol[at + 1] != UInt8(ascii: "H") {
                    throw fail("chiral specification '\(text(symbol))' not supported")
                }
                out.append(Token(bond: bond, symbol: text(symbol), type: .atom))
            } else if SelfiesGrammar.isDigit(c) {
                out.append(Token(bond: bond, symbol: text(s[i ... i]), type: .ring))
                i += 1
            } else if c == UInt8(ascii: "%") {
                let end = min(i + 3, s.count)
                out.append(Token(bond: bond, symbol: text(s[min(i + 1, end) ..< end]), type: .ring))
                i += 3
            } else {
                throw fail("unrecognized symbol '\(text(s[i ... i]))'")
            }
        }
        return out
    }

    static func ringNumber(_ symbol: String) throws -> Int {
        guard !symbol.isEmpty, symbol.utf8.allSatisfy(SelfiesGrammar.isDigit), let n = Int(symbol) else {
            throw fail("bad ring number '\(symbol)'")
        }
        return n
    }

    static let kekulizeTriggers: [UInt8] = Array("cnopas".utf8)

    static func translate(_ smiles: [UInt8]) throws -> String {
        var toks = try tokens(smiles)
        if smiles.contains(where: { kekulizeTriggers.contains($0) }) {
            try SelfiesKekulizer.kekulize(&toks)
        }
        var counter = 0
        var rings: [Int: (bond: String, atom: Int)] = [:]
        var position = 0
        var out = ""
        _ = try derive(toks, &position, &rings, &counter, into: &out)
        if !rings.isEmpty { throw fail("malformed ring numbering or ring numbering across a dot symbol") }
        return out
    }

    /// `_translate_smiles_derive`: appends the SELFIES of a (sub)chain, returns its symbol count.
    static func derive(_ toks: [Token], _ position: inout Int, _ rings: inout [Int: (bond: String, atom: Int)],
                       _ counter: inout Int, into out: inout String, depth: Int = 0) throws -> Int {
        if depth > SelfiesKekulizer.depthLimit { throw fail("branches nested too deeply") }
        var length = 0
        var previous = -1
        while position < toks.count {
            let t = toks[position]
            position += 1
            let bond = t.bond == "-" ? "" : t.bond
            switch t.type {
            case .atom:
                out.append("[")
                out.append(bond)
                if t.symbol.utf8.first == UInt8(ascii: "[") {
                    out.append(contentsOf: t.symbol.dropFirst().dropLast())
                    out.append("expl]")
                } else {
                    out.append(t.symbol)
                    out.append("]")
                }
                previous = counter
                counter += 1
                length += 1
            case .branch:
                if t.symbol == ")" { return length }
                var branch = ""
                let branchLength = try derive(toks, &position, &rings, &counter, into: &branch, depth: depth + 1)
                guard branchLength >= 1 else { throw fail("empty branch") }
                let n = SelfiesGrammar.symbols(for: branchLength - 1)
                out += "[Branch\(n.count)_\(SelfiesGrammar.bondOrder(bond))]" + n.joined() + branch
                length += 1 + n.count + branchLength
            case .ring:
                let id = try ringNumber(t.symbol)
                if let open = rings.removeValue(forKey: id) {
                    let ringLength = previous - open.atom
                    guard ringLength >= 1 else { throw fail("ring closure \(id) does not span a bond") }
                    let n = SelfiesGrammar.symbols(for: ringLength - 1)
                    if !open.bond.isEmpty {
                        out += "[Expl\(open.bond)Ring\(n.count)]"
                    } else if !bond.isEmpty {
                        out += "[Expl\(bond)Ring\(n.count)]"
                    } else {
                        out += "[Ring\(n.count)]"
                    }
                    out += n.joined()
                    length += 1 + n.count
                } else {
                    rings[id] = (bond, previous)
                }
            }
        }
        return length
    }
}
