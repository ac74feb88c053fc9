/// Throughput of the chemistry layer's main paths, for `rt bench chem` (molecules per second, best of `repeats`):
/// parse + sanitize (`Molecule(smiles:)`), canonical SMILES of already-parsed molecules, and SMILES → SELFIES
/// (selfies 1.0.4 encoder on the SMILES strings). Invalid inputs count like valid ones (they are part of the work).
public struct ChemistryBenchmark {
    public struct Result: Sendable {
        public var molecules: Int
        public var valid: Int
        public var parseSanitizePerSecond: Double
        public var canonicalPerSecond: Double
        public var toSelfiesPerSecond: Double
    }

    public let smiles: [String]
    public let repeats: Int

    public init(smiles: [String], repeats: Int = 3) {
        self.smiles = smiles
        self.repeats = max(1, repeats)
    }

    static func seconds(_ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let d = clock.measure(body)
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    public func run() -> Result {
        var molecules: [Molecule] = []
        var best = (parse: Double.infinity, canonical: Double.infinity, selfies: Double.infinity)
        var checksum = 0
        for r in 0 ..< repeats {
            var parsed: [Molecule] = []
            parsed.reserveCapacity(smiles.count)
            best.parse = min(best.parse, Self.seconds {
                for s in smiles { if let m = try? Molecule(smiles: s) { parsed.append(m) } }
            })
            if r == 0 { molecules = parsed }
            best.canonical = min(best.canonical, Self.seconds {
                for m in molecules { checksum &+= m.canonicalSmiles.utf8.count }
            })
            best.selfies = min(best.selfies, Self.seconds {
                for s in smiles { checksum &+= ((try? SelfiesEncoder.encode(s)) ?? "").utf8.count }
            })
        }
        precondition(checksum != -1)  // keeps the work observable
        let n = Double(smiles.count)
        return Result(molecules: smiles.count, valid: molecules.count, parseSanitizePerSecond: n / best.parse,
                      canonicalPerSecond: Double(molecules.count) / best.canonical, toSelfiesPerSecond: n / best.selfies)
    }
}
