import Foundation
import ASXHCore

/// Charts drawn on the server as SVG: no script, readable on any phone, printable, allowed by the page's CSP.
enum SVGChart {
    struct Bar {
        var label: String
        /// 0…1
        var share: Double
        var late: Bool
        var note: String
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// One horizontal bar per unit against the 100% target; late units in red.
    static func bars(_ bars: [Bar], title: String) -> String {
        let rowHeight = 22, labelWidth = 180, barWidth = 360, width = labelWidth + barWidth + 90
        let height = bars.count * rowHeight + 24
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(Self.escape(title))\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" style=\"max-width:\(width)px\">"
        svg += "<title>\(Self.escape(title))</title>"
        for (index, bar) in bars.enumerated() {
            let y = index * rowHeight + 4
            let length = Int((max(0, min(1, bar.share)) * Double(barWidth)).rounded())
            let colour = bar.late ? "#c62828" : (bar.share >= 1 ? "#2e7d32" : "#1565c0")
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 14)\" text-anchor=\"end\" font-size=\"12\">\(Self.escape(String(bar.label.prefix(28))))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(barWidth)\" height=\"16\" fill=\"#eceff1\"/>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(length)\" height=\"16\" fill=\"\(colour)\"><title>\(Self.escape(bar.note))</title></rect>"
            svg += "<text x=\"\(labelWidth + barWidth + 6)\" y=\"\(y + 13)\" font-size=\"12\">\(Int((bar.share * 100).rounded(.down)))%</text>"
        }
        let target = labelWidth + barWidth
        svg += "<line x1=\"\(target)\" y1=\"0\" x2=\"\(target)\" y2=\"\(height - 18)\" stroke=\"#333\" stroke-dasharray=\"4 3\"/>"
        svg += "<text x=\"\(target)\" y=\"\(height - 4)\" text-anchor=\"middle\" font-size=\"11\">100%</text></svg>"
        return svg
    }

    /// Cumulative share classified by day, with the deadline marked.
    static func trend(_ points: [(day: CalendarDay, share: Double)], deadline: CalendarDay?, title: String) -> String {
        let width = 560, height = 180, left = 40, bottom = 24, top = 10
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(Self.escape(title))\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" style=\"max-width:\(width)px\">"
        svg += "<title>\(Self.escape(title))</title>"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(width - 10)\" y2=\"\(top)\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/><text x=\"4\" y=\"\(top + 4)\" font-size=\"11\">100%</text>"
        svg += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - 10)\" y2=\"\(height - bottom)\" stroke=\"#333\"/><text x=\"14\" y=\"\(height - bottom + 4)\" font-size=\"11\">0</text>"
        guard let first = points.first?.day, let last = [points.last?.day, deadline].compactMap({ $0 }).max() else { return svg + "</svg>" }
        let span = max(1, first.days(to: last))
        func x(_ day: CalendarDay) -> Int { left + first.days(to: day) * (width - 10 - left) / span }
        func y(_ share: Double) -> Int { height - bottom - Int(max(0, min(1, share)) * Double(height - bottom - top)) }
        let line = points.map { "\(x($0.day)),\(y($0.share))" }.joined(separator: " ")
        svg += "<polyline points=\"\(line)\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\"/>"
        for point in points { svg += "<circle cx=\"\(x(point.day))\" cy=\"\(y(point.share))\" r=\"3\" fill=\"#1565c0\"><title>\(point.day.vietnamese): \(Int(point.share * 100))%</title></circle>" }
        if let deadline {
            svg += "<line x1=\"\(x(deadline))\" y1=\"\(top)\" x2=\"\(x(deadline))\" y2=\"\(height - bottom)\" stroke=\"#c62828\" stroke-dasharray=\"5 3\"/>"
            svg += "<text x=\"\(x(deadline))\" y=\"\(height - 6)\" text-anchor=\"middle\" font-size=\"11\" fill=\"#c62828\">\(deadline.vietnamese)</text>"
        }
        svg += "<text x=\"\(left)\" y=\"\(height - 6)\" font-size=\"11\">\(first.vietnamese)</text></svg>"
        return svg
    }
}
