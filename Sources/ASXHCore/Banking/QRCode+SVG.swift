extension QRCode {
    /// The quiet zone the standard requires around the symbol, in modules.
    public static let quietZone = 4

    /// The symbol as a standalone SVG: one `<path>` of unit squares on a white background, 4 modules of quiet
    /// zone, `shape-rendering="crispEdges"` so that no anti-aliased seam appears between modules. The view box is
    /// in modules; `moduleSize` only sets the default width and height in pixels (CSS may override them).
    ///
    /// Adjacent dark modules of a row are merged into one rectangle, which keeps the path short.
    public func svg(moduleSize: Int = 4, title: String? = nil) -> String {
        let side = self.size + 2 * Self.quietZone
        var path = ""
        path.reserveCapacity(self.size * self.size)
        for row in 0..<self.size {
            var column = 0
            while column < self.size {
                guard self.isDark(row: row, column: column) else {
                    column += 1
                    continue
                }
                let start = column
                while column < self.size && self.isDark(row: row, column: column) { column += 1 }
                let width = column - start
                path += "M\(start + Self.quietZone) \(row + Self.quietZone)h\(width)v1h-\(width)z"
            }
        }
        let pixels = side * max(moduleSize, 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\" width=\"\(pixels)\" "
        svg += "height=\"\(pixels)\" shape-rendering=\"crispEdges\">"
        if let title { svg += "<title>\(Self.escaped(title))</title>" }
        svg += "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/>"
        svg += "<path fill=\"#000\" d=\"\(path)\"/></svg>"
        return svg
    }

    private static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
