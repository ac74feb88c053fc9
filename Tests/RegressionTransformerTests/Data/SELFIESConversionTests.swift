import XCTest
@testable import RegressionTransformer

/// The SMILES → SELFIES seam with the Chemistry module's selfies 1.0.4 encoder.
final class SELFIESConversionTests: XCTestCase {
    func testConvertsSMILESAndRejectsInvalidMolecules() throws {
        XCTAssertEqual(try SequenceConversion.smilesToSELFIES.convert("C=CF"), "[C][=C][F]")
        XCTAssertEqual(try SequenceConversion.smilesToSELFIES.convert("CBr"), "[C][Br]")
        XCTAssertThrowsError(try SequenceConversion.smilesToSELFIES.convert("C(C)(C)(C)(C)C"))  // pentavalent carbon
        XCTAssertThrowsError(try SequenceConversion.smilesToSELFIES.convert("C1CC"))
        XCTAssertEqual(try SequenceConversion.reactionSMILESToSELFIES.convert("CC.O>>CCO"), "[C][C].[O]>>[C][C][O]")
        XCTAssertThrowsError(try SequenceConversion.reactionSMILESToSELFIES.convert("CC.O"))
        XCTAssertNil(SequenceConversion.fromSMILES(to: .smiles))
        XCTAssertNil(SequenceConversion.fromSMILES(to: .aminoAcids))
        XCTAssertEqual(SequenceConversion.fromSMILES(to: .selfies)?.name, "SMILES → SELFIES")
    }

    func testReadableSMILESFromSELFIES() throws {
        XCTAssertEqual(try SequenceConversion.selfiesToSMILES.convert("[C][=C][F]"), "C=CF")
        XCTAssertEqual(try SequenceConversion.reactionSELFIESToSMILES.convert("[C][C].[O]>>[C][C][O]"), "CC.O>>CCO")
        XCTAssertEqual(try SequenceConversion.reactionSELFIESToSMILES.convert("[C][C]<energy>[O]>>[C][C][O]"), "CC.O>>CCO")
        XCTAssertThrowsError(try SequenceConversion.reactionSELFIESToSMILES.convert("[C][C]"))
        XCTAssertNil(SequenceConversion.toSMILES(from: .smiles))
        XCTAssertEqual(SequenceConversion.toSMILES(from: .selfies)?.name, "SELFIES → SMILES")
    }

    /// The original's README trains a SELFIES vocabulary on SMILES data (every atom [UNK], spec §9.3); converted,
    /// the 999 ChEMBL molecules give exactly the ids of their selfies 1.0.4 strings.
    func testChEMBLSMILESConvertedForTheShippedSELFIESVocabulary() throws {
        let text = try TextFixtures.text("chembl_example_999_props_selfies.csv")
        let encoder = RTEncoder(vocabulary: TextFixtures.smallMolecules, tokenizer: RTTokenizer(language: .selfies))
        let property = [CSVOptions.Property(column: "qed")]
        let converted = DatasetLoader(encoder: encoder, options: DatasetOptions(
            csv: CSVOptions(textColumn: "smiles", properties: property, decimals: nil),
            conversion: .smilesToSELFIES))
        let reference = DatasetLoader(encoder: encoder, options: DatasetOptions(
            csv: CSVOptions(textColumn: "selfies_v1", properties: property, decimals: nil)))
        let (fromSMILES, report) = try converted.load([MemoryLineSource(text, name: "chembl.csv")])
        let (fromSELFIES, _) = try reference.load([MemoryLineSource(text, name: "chembl.csv")])
        XCTAssertEqual(report.samples, 999)
        XCTAssertEqual(fromSMILES.offsets, fromSELFIES.offsets)
        XCTAssertEqual(fromSMILES.ids, fromSELFIES.ids)
    }
}
