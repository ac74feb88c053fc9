/// Throughput of the chemistry layer's main paths, for `rt bench chem` (molecules per second, best of `repeats`):
/// parse + sanitize (`Molecule(smiles:)`), canonical SMILES of already-parsed molecules, and SMILES → SELFIES
/// (selfies 1.0.4 encoder on the SMILES strings). Invalid inputs count like valid ones (they are part of the work).
/// Descriptor rates run on the already-parsed valid molecules: QED (its eight properties + score), Crippen logP,
/// the 2048-bit radius-2 Morgan fingerprint and the SA score.
public struct ChemistryBenchmark {
    public struct Result: Sendable {
        public var molecules: Int
        public var valid: Int
        public var parseSanitizePerSecond: Double
        public var canonicalPerSecond: Double
        public var toSelfiesPerSecond: Double
        public var qedPerSecond = 0.0
        public var logPPerSecond = 0.0
        public var morganPerSecond = 0.0
        public var saPerSecond = 0.0
    }

    public let smiles: [String]
    public let repeats: Int

    public init(smiles: [String], repeats: Int = 3) {
        self.smiles = smiles
        self.repeats = max(1, repeats)
    }

    /// Seconds `body` takes on the monotonic clock (the one timing helper of the chemistry benchmarks; the
    /// engine's `BenchClock` lives in Tensors, which Chemistry does not depend on).
    static func seconds(_ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let d = clock.measure(body)
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    public func run() -> Result {
        var molecules: [Molecule] = []
        var best = (parse: Double.infinity, canonical: Double.infinity, selfies: Double.infinity)
        var bestDescriptors = (qed: Double.infinity, logP: Double.infinity, morgan: Double.infinity, sa: Double.infinity)
        var sum = 0.0
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
            bestDescriptors.qed = min(bestDescriptors.qed, Self.seconds {
                for m in molecules { sum += QED.qed(m) }
            })
            bestDescriptors.logP = min(bestDescriptors.logP, Self.seconds {
                for m in molecules { sum += Crippen.logP(m) }
            })
            bestDescriptors.morgan = min(bestDescriptors.morgan, Self.seconds {
                for m in molecules { checksum &+= MorganFingerprint(m).bits(size: 2048).bitCount }
            })
            bestDescriptors.sa = min(bestDescriptors.sa, Self.seconds {
                for m in molecules { sum += SAScore.score(m) ?? 0 }
            })
        }
        precondition(!sum.isNaN || checksum != -1)
        precondition(checksum != -1)  // keeps the work observable
        let n = Double(smiles.count)
        let valid = Double(molecules.count)
        return Result(molecules: smiles.count, valid: molecules.count, parseSanitizePerSecond: n / best.parse,
                      canonicalPerSecond: valid / best.canonical, toSelfiesPerSecond: n / best.selfies,
                      qedPerSecond: valid / bestDescriptors.qed, logPPerSecond: valid / bestDescriptors.logP,
                      morganPerSecond: valid / bestDescriptors.morgan, saPerSecond: valid / bestDescriptors.sa)
    }
}
