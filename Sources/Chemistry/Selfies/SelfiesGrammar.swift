/// The SELFIES 1.0.4 grammar tables and symbol helpers (`selfies/grammar_rules.py` at tag v1.0.4, Apache-2.0),
/// the dialect of the Regression Transformer's vocabularies.
enum SelfiesGrammar {
    /// Default bond constraints of selfies 1.0.4: maximum number of bonds per atom or ion; other symbols: 8.
    static let bondCapacity: [String: Int] = [
        "H": 1, "F": 1, "Cl": 1, "Br": 1, "I": 1,
        "O": 2, "O+1": 3, "O-1": 1,
        "N": 3, "N+1": 4, "N-1": 2,
        "C": 4, "C+1": 5, "C-1": 3,
        "P": 5, "P+1": 6, "P-1": 4,
        "S": 6, "S+1": 7, "S-1": 5,
    ]
    static let defaultCapacity = 8

    /// Symbols used as base-16 digits for branch and ring lengths (unknown symbols count as 0).
    static let indexAlphabet = ["[C]", "[Ring1]", "[Ring2]", "[Branch1_1]", "[Branch1_2]", "[Branch1_3]",
                                "[Branch2_1]", "[Branch2_2]", "[Branch2_3]", "[O]", "[N]", "[=N]", "[=C]", "[#C]",
                                "[S]", "[P]"]
    static let indexOf: [String: Int] = Dictionary(uniqueKeysWithValues: indexAlphabet.enumerated().map { ($1, $0) })

    /// N from index symbols, most significant first.
    static func number(from symbols: [String]) -> Int {
        var n = 0
        for s in symbols { n = n &* 16 &+ (indexOf[s] ?? 0) }
        return n
    }

    /// Index symbols spelling `n` in base 16 (`[C]` for 0).
    static func symbols(for n: Int) -> [String] {
        if n == 0 { return [indexAlphabet[0]] }
        var out: [String] = []
        var n = n
        while n > 0 { out.append(indexAlphabet[n % 16]); n /= 16 }
        return out.reversed()
    }

    @inline(__always) static func bondOrder(_ bond: String) -> Int { bond == "=" ? 2 : (bond == "#" ? 3 : 1) }
    @inline(__always) static func bondOrder(first c: Character?) -> Int { c == "=" ? 2 : (c == "#" ? 3 : 1) }
    static func bondSymbol(_ order: Int) -> String {
        switch order { case 1: return ""; case 2: return "="; default: return "#" }
    }

    struct SymbolError: Error { let message: String }

    /// `find_element`: the element's character range in a SMILES atom (`[13C]` → "C", `[nH+]` → "n", `Cl` → "Cl").
    static func elementRange(_ atom: [Character]) throws -> Range<Int> {
        if atom.first != "[" { return 0 ..< atom.count }
        var i = 1
        while i < atom.count && atom[i].isASCII && atom[i].isNumber { i += 1 }
        guard i + 1 < atom.count else { throw SymbolError(message: "malformed atom symbol") }
        let next = atom[i + 1]
        if next.isASCII && next.isLetter && next != "H" { return i ..< i + 2 }
        return i ..< i + 1
    }

    /// `parse_atom_symbol`: (element, hydrogen count, charge) of a SMILES atom symbol.
    static func parseAtom(_ atom: [Character]) throws -> (element: String, hydrogens: Int, charge: Int) {
        guard let first = atom.first else { throw SymbolError(message: "empty atom symbol") }
        if first != "[" { return (String(atom), 0, 0) }
        let range = try elementRange(atom)
        var i = range.upperBound
        func at(_ k: Int) throws -> Character {
            guard k < atom.count else { throw SymbolError(message: "malformed atom symbol") }
            return atom[k]
        }
        if try at(i) == "@" { i += 1 }
        if try at(i) == "@" { i += 1 }
        var h = 0
        if try at(i) == "H" {
            h = 1
            i += 1
            if let d = try at(i).wholeNumberValue, try at(i).isASCII { h = d; i += 1 }
        }
        var charge = 0
        let c = try at(i)
        if c == "+" || c == "-" {
            charge = c == "+" ? 1 : -1
            i += 1
            let c2 = try at(i)
            if c2 == "+" || c2 == "-" {
                while true {
                    let c3 = try at(i)
                    guard c3 == "+" || c3 == "-" else { break }
                    charge += c3 == "+" ? 1 : -1
                    i += 1
                }
            } else if c2.isASCII && c2.isNumber {
                var v = 0
                while true {
                    let d = try at(i)
                    guard d.isASCII, let dv = d.wholeNumberValue else { break }
                    v = v &* 10 &+ dv
                    i += 1
                }
                charge *= v
            }
        }
        return (String(atom[range]), h, charge)
    }

    /// Bond capacity of an atom symbol (element plus signed charge, e.g. `N+1`).
    static func capacity(element: String, charge: Int) -> Int {
        let key = charge == 0 ? element : element + (charge > 0 ? "+\(charge)" : "\(charge)")
        return bondCapacity[key] ?? defaultCapacity
    }
}
