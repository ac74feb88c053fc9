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
        if smiles.contains("*") { throw MoleculeError(.selfies, "wildcard atom '*' not supported") }
        var out: [String] = []
        for fragment in smiles.split(separator: ".", omittingEmptySubsequences: false) {
            out.append(try translate(Array(fragment)))
        }
        return out.joined(separator: ".")
    }

    static func fail(_ message: String) -> MoleculeError { MoleculeError(.selfies, message) }

    /// `_parse_smiles`.
    static func tokens(_ s: [Character]) throws -> [Token] {
        var out: [Token] = []
        var i = 0
        while i < s.count {
            var bond = ""
            if "-/\\=#:".contains(s[i]) {
                bond = String(s[i])
                i += 1
                guard i < s.count else { throw fail("SMILES ends with a bond") }
            }
            let c = s[i]
            if c.isLetter {
                guard c.isASCII else { throw fail("unsupported character '\(c)'") }
                if i + 1 < s.count && ((c == "B" && s[i + 1] == "r") || (c == "C" && s[i + 1] == "l")) {
                    out.append(Token(bond: bond, symbol: String(s[i ... i + 1]), type: .atom))
                    i += 2
                } else {
                    out.append(Token(bond: bond, symbol: String(c), type: .atom))
                    i += 1
                }
            } else if c == "(" || c == ")" {
                let next = i + 1 < s.count ? String(s[i + 1]) : ""
                out.append(Token(bond: next, symbol: String(c), type: .branch))
                i += 1
            } else if c == "[" {
                guard let r = s[(i + 1)...].firstIndex(of: "]") else { throw fail("malformed SMILES, missing ']'") }
                let symbol = Array(s[i ... r])
                i = r + 1
                if let at = symbol.firstIndex(of: "@"), at + 1 < symbol.count, symbol[at + 1].isLetter, symbol[at + 1] != "H" {
                    throw fail("chiral specification '\(String(symbol))' not supported")
                }
                out.append(Token(bond: bond, symbol: String(symbol), type: .atom))
            } else if c.isASCII && c.isNumber {
                out.append(Token(bond: bond, symbol: String(c), type: .ring))
                i += 1
            } else if c == "%" {
                let end = min(i + 3, s.count)
                out.append(Token(bond: bond, symbol: String(s[(i + 1) ..< end]), type: .ring))
                i += 3
            } else {
                throw fail("unrecognized symbol '\(c)'")
            }
        }
        return out
    }

    static func ringNumber(_ symbol: String) throws -> Int {
        guard !symbol.isEmpty, symbol.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(symbol) else {
            throw fail("bad ring number '\(symbol)'")
        }
        return n
    }

    static func translate(_ smiles: [Character]) throws -> String {
        var toks = try tokens(smiles)
        if smiles.contains(where: { "cnopas".contains($0) }) {
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
                if t.symbol.first == "[" {
                    out += "[" + bond + t.symbol.dropFirst().dropLast() + "expl]"
                } else {
                    out += "[" + bond + t.symbol + "]"
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
