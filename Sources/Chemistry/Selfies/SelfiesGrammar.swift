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
    @inline(__always) static func bondOrder(first c: UInt8?) -> Int {
        c == UInt8(ascii: "=") ? 2 : (c == UInt8(ascii: "#") ? 3 : 1)
    }
    static func bondSymbol(_ order: Int) -> String {
        switch order { case 1: return ""; case 2: return "="; default: return "#" }
    }

    struct SymbolError: Error { let message: String }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    @inline(__always) static func isAlpha(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }

    /// `find_element`: the element's byte range in a SMILES atom (`[13C]` → "C", `[nH+]` → "n", `Cl` → "Cl").
    /// ASCII semantics (selfies uses Python's Unicode-aware `isdigit`/`isalpha`; the RT alphabet is ASCII).
    static func elementRange(_ atom: [UInt8]) throws -> Range<Int> {
        if atom.first != UInt8(ascii: "[") { return 0 ..< atom.count }
        var i = 1
        while i < atom.count && isDigit(atom[i]) { i += 1 }
        guard i + 1 < atom.count else { throw SymbolError(message: "malformed atom symbol") }
        let next = atom[i + 1]
        if isAlpha(next) && next != UInt8(ascii: "H") { return i ..< i + 2 }
        return i ..< i + 1
    }

    /// `parse_atom_symbol`: (element, hydrogen count, charge) of a SMILES atom symbol.
    static func parseAtom(_ atom: [UInt8]) throws -> (element: String, hydrogens: Int, charge: Int) {
        guard let first = atom.first else { throw SymbolError(message: "empty atom symbol") }
        if first != UInt8(ascii: "[") { return (String(decoding: atom, as: UTF8.self), 0, 0) }
        let range = try elementRange(atom)
        var i = range.upperBound
        func at(_ k: Int) throws -> UInt8 {
            guard k < atom.count else { throw SymbolError(message: "malformed atom symbol") }
            return atom[k]
        }
        let at_ = UInt8(ascii: "@"), plus = UInt8(ascii: "+"), minus = UInt8(ascii: "-")
        if try at(i) == at_ { i += 1 }
        if try at(i) == at_ { i += 1 }
        var h = 0
        if try at(i) == UInt8(ascii: "H") {
            h = 1
            i += 1
            let d = try at(i)
            if isDigit(d) { h = Int(d - 48); i += 1 }
        }
        var charge = 0
        let c = try at(i)
        if c == plus || c == minus {
            charge = c == plus ? 1 : -1
            i += 1
            let c2 = try at(i)
            if c2 == plus || c2 == minus {
                while true {
                    let c3 = try at(i)
                    guard c3 == plus || c3 == minus else { break }
                    charge += c3 == plus ? 1 : -1
                    i += 1
                }
            } else if isDigit(c2) {
                var v = 0
                while true {
                    let d = try at(i)
                    guard isDigit(d) else { break }
                    v = min(v &* 10 &+ Int(d - 48), 1 << 40)
                    i += 1
                }
                charge *= v
            }
        }
        return (String(decoding: atom[range], as: UTF8.self), h, charge)
    }

    /// Bond capacity of an atom symbol (element plus signed charge, e.g. `N+1`).
    static func capacity(element: String, charge: Int) -> Int {
        let key = charge == 0 ? element : element + (charge > 0 ? "+\(charge)" : "\(charge)")
        return bondCapacity[key] ?? defaultCapacity
    }
}
