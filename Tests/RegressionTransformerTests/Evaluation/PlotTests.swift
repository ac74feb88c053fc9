import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import RegressionTransformer

final class PlotTests: XCTestCase {
    func testTicksAreNiceNumbers() {
        XCTAssertEqual(SVGPlot.ticks(0...1).map { ($0 * 10).rounded() / 10 }, [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(SVGPlot.ticks(-3.5...12), [0, 5, 10])
        // Span 0.67 → about 0.134 per tick → step 0.2.
        XCTAssertEqual(SVGPlot.ticks(0.28...0.95).map { ($0 * 10).rounded() / 10 }, [0.4, 0.6, 0.8])
    }

    func testDataToPixelMapping() {
        let plot = SVGPlot(title: "t", xLabel: "x", yLabel: "y", xRange: 0...1, yRange: 0...2)
        XCTAssertEqual(plot.px(0.5), 70 + 240)
        XCTAssertEqual(plot.py(0.5), 40 + 480 - 120)
        XCTAssertEqual(plot.py(2), 40)
        XCTAssertEqual(SVGPlot.paddedRange([1, 3]), 0.9...3.1)
        XCTAssertNil(SVGPlot.paddedRange([.nan]))
    }

    func testParityPlotIsWellFormedWithOnePointPerSample() throws {
        let labels = [0.2, 0.5, 0.8], predictions = [0.25, 0.5, 0.7]
        let svg = EvaluationPlots.parity(property: "qed", labels: labels, predictions: predictions,
                                         summary: RegressionSummary(labels: labels, predictions: predictions))
        XCTAssertEqual(svg.components(separatedBy: "<circle ").count - 1, 3)
        XCTAssertTrue(svg.contains("Property prediction: qed"))
        XCTAssertTrue(svg.contains("stroke-dasharray"))  // the identity line
        try assertWellFormed(svg)
    }

    func testPrimerPlotHasOneBarPerPrimer() throws {
        let records = [
            GenerationRecord(seed: "A", primer: 0.1, canonical: "C", property: 0.2, similarity: 0.5),
            GenerationRecord(seed: "B", primer: 0.1, canonical: "CC", property: 0.4, similarity: 0.5),
            GenerationRecord(seed: "A", primer: 0.9, canonical: "CO", property: 0.7, similarity: 0.5),
            GenerationRecord(seed: "B", primer: 0.9, canonical: nil, property: nil, similarity: nil),
        ]
        let svg = EvaluationPlots.primerResponse(property: "qed <&>", records: records,
                                                 summary: GenerationSummary(records: records))
        XCTAssertEqual(svg.components(separatedBy: "<circle ").count - 1, 3)
        XCTAssertEqual(svg.components(separatedBy: "<rect x=").count - 1, 2 + 2 + 1)  // background, frame, 2 bars, clip
        XCTAssertTrue(svg.contains("qed &lt;&amp;&gt;"))
        try assertWellFormed(svg)
    }

    func assertWellFormed(_ svg: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let parser = XMLParser(data: Data(svg.utf8))
        XCTAssertTrue(parser.parse(), "SVG is not well-formed XML: \(String(describing: parser.parserError))",
                      file: file, line: line)
    }
}
