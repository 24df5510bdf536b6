import Vapor

/// Bounds what a request body may cost before anything decodes it. Runs after `AccessMiddleware`, so only a
/// user the route admits can make the server collect a body, and only up to the route's limit (the small
/// default unless the route is an upload). Form bodies with more fields than any asxh form has are refused
/// before decoding: Vapor's form decoder takes time that grows with the square of the number of fields.
struct BodyGuardMiddleware: AsyncMiddleware {
    static let maxFormFields = 200

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard ![.GET, .HEAD, .OPTIONS].contains(request.method) else { return try await next.respond(to: request) }
        let limit = request.route?.maxBodySize ?? request.application.routes.defaultMaxBodySize
        let body: ByteBuffer?
        if let collected = request.body.data {
            body = collected
        } else {
            // Streamed bodies are collected here, so the CSRF check can read a form field inside an upload.
            body = try await request.body.collect(max: limit.value).get()
        }
        guard let body else { return try await next.respond(to: request) }
        if body.readableBytes > limit.value {
            throw Abort(.payloadTooLarge)
        }
        if request.headers.contentType == .urlEncodedForm {
            let fields = body.readableBytesView.reduce(into: 1) { count, byte in if byte == UInt8(ascii: "&") { count += 1 } }
            if fields > Self.maxFormFields {
                throw ASXHError.invalidInput(field: "body", vi: "Biểu mẫu có quá nhiều trường.", en: "The form has too many fields.")
            }
        }
        return try await next.respond(to: request)
    }
}
