import Foundation
import Plot
import ASXHCore

/// Programs, cycles and batches (maker and checker), held payments, and the forms the department works them with.
struct PaymentsView {
    var context: PageContext
    var programs: [PaymentProgram]
    var cycles: [PaymentCycle]
    var batches: [PaymentBatch]
    var held: [Payment]
    var campaignProvince: Area?

    private var role: Role { self.context.user?.role ?? .auditor }

    var html: String {
        let t = self.context.t
        return Layout.html(self.context, title: t("Chi trả", "Payments"), .div(
            .h1(.text(t("Chi trả", "Payments"))),
            self.cyclesCard, self.batchesCard,
            .if(!self.held.isEmpty, self.heldCard),
            self.programsCard
        ))
    }

    private func money(_ amount: Int64) -> String { Formatting.vnd(Int(amount)) }

    private var programsCard: Node<HTML.BodyContext> {
        let t = self.context.t
        let manager = self.role.canManagePayments
        return .div(.class("card"), .id("programs"),
            .h2(.text(t("Chương trình chi trả", "Programs"))),
            .table(
                .thead(.tr(.th(.text(t("Tên", "Name"))), .th(.text(t("Loại", "Kind"))), .th(.text(t("Số tiền theo nhóm (đồng)", "Amount per group (đồng)"))))),
                .tbody(.forEach(self.programs) { program in
                    .tr(.td(.text(program.name)), .td(.text(program.amounts.kind.vietnamese)),
                        .td(manager ? self.amountsForm(action: "/payments/programs/\(program.id?.uuidString ?? "")/amounts", amounts: program.amounts.perGroup,
                                                        button: t("Sửa số tiền", "Save amounts"))
                            : .text(PolicyGroup.allCases.compactMap { group in program.amounts.perGroup[group.rawValue].map { "\(group.labelVI): \(self.money($0))" } }.joined(separator: "; "))))
                })
            ),
            .if(manager, .form(.method(.post), .action("/payments/programs"), self.context.csrfField,
                .h3(.text(t("Chương trình mới", "New program"))),
                .label(.text(t("Tên", "Name")), .input(.type(.text), .name("name"), .required(true), .attribute(named: "maxlength", value: "120"))),
                Layout.select(name: "kind", selected: ProgramAmounts.Kind.gift.rawValue, options: ProgramAmounts.Kind.allCases.map { ($0.rawValue, $0.vietnamese) }),
                self.amountFields(ProgramAmounts.tetGift.perGroup),
                .button(.class("primary"), .type(.submit), .text(t("Tạo chương trình", "Create the program")))))
        )
    }

    private func amountFields(_ amounts: [String: Int64]) -> Node<HTML.FormContext> {
        .forEach(PolicyGroup.allCases) { group in
            .label(.text(self.context.t(group.labelVI, group.labelEN)),
                   .input(.type(.text), .name("amount_\(group.rawValue)"), .value(amounts[group.rawValue].map(String.init) ?? ""),
                          .attribute(named: "inputmode", value: "numeric"), .attribute(named: "maxlength", value: "15")))
        }
    }

    private func amountsForm(action: String, amounts: [String: Int64], button: String) -> Node<HTML.BodyContext> {
        .form(.class("filters"), .method(.post), .action(action), self.context.csrfField, self.amountFields(amounts), .button(.type(.submit), .text(button)))
    }

    private var cyclesCard: Node<HTML.BodyContext> {
        let t = self.context.t
        return .div(.class("card"), .id("cycles"),
            .h2(.text(t("Đợt chi trả", "Payment cycles"))),
            .if(self.cycles.isEmpty, .p(.class("muted"), .text(t("Chưa có đợt chi trả.", "No payment cycle yet.")))),
            .if(!self.cycles.isEmpty, .table(
                .thead(.tr(.th(.text(t("Đợt", "Cycle"))), .th(.text(t("Chương trình", "Program"))), .th(.text(t("Ngày chi", "Pay day"))),
                           .th(.text(t("Hạn chi tiền mặt", "Cash deadline"))), .th())),
                .tbody(.forEach(self.cycles) { cycle in
                    let id = cycle.id?.uuidString ?? ""
                    return .tr(.td(.a(.href("/payments/cycles/\(id)/outcome"), .text(cycle.name))), .td(.text(cycle.program.name)),
                               .td(.text(CalendarDay(parsing: cycle.payOn)?.vietnamese ?? cycle.payOn)),
                               .td(.text(CalendarDay(parsing: cycle.cashDeadline)?.vietnamese ?? cycle.cashDeadline)),
                               .td(.a(.href("/payments/cycles/\(id)/outcome"), .text(t("Kết quả", "Outcome"))),
                                   .if(self.role.canManagePayments, .form(.class("inline"), .method(.post), .action("/payments/cycles/\(id)/batches"), self.context.csrfField,
                                       .button(.type(.submit), .text(t("Lập bảng kê", "Make a batch")))))))
                })
            )),
            .if(self.role.canManagePayments && !self.programs.isEmpty, .form(.class("filters"), .method(.post), .action("/payments/cycles"), self.context.csrfField,
                Layout.select(name: "programID", selected: self.programs.first?.id?.uuidString ?? "", options: self.programs.map { ($0.id?.uuidString ?? "", $0.name) }),
                .input(.type(.text), .name("name"), .required(true), .placeholder("tet-2025"), .attribute(named: "maxlength", value: "40"),
                       .attribute(named: "aria-label", value: t("Tên đợt", "Cycle name"))),
                .input(.type(.date), .name("payOn"), .required(true), .attribute(named: "aria-label", value: t("Ngày chi", "Pay day"))),
                .input(.type(.date), .name("cashDeadline"), .required(true), .attribute(named: "aria-label", value: t("Hạn chi tiền mặt", "Cash deadline"))),
                .button(.type(.submit), .text(t("Mở đợt chi trả", "Open a cycle")))))
        )
    }

    private var batchesCard: Node<HTML.BodyContext> {
        let t = self.context.t
        let me = self.context.user?.id
        return .div(.class("card"), .id("batches"),
            .h2(.text(t("Bảng kê chi trả", "Batches"))),
            .if(self.batches.isEmpty, .p(.class("muted"), .text(t("Chưa có bảng kê.", "No batch yet.")))),
            .if(!self.batches.isEmpty, .table(.class("responsive"),
                .thead(.tr(.th(.text(t("Đợt", "Cycle"))), .th(.class("num"), .text(t("Số người", "People"))), .th(.class("num"), .text(t("Tổng tiền", "Total"))),
                           .th(.text(t("Lập", "Made by"))), .th(.text(t("Duyệt", "Checked by"))), .th(.text(t("Tệp và kết quả", "Files and results"))))),
                .tbody(.forEach(self.batches) { batch in
                    let id = batch.id?.uuidString ?? ""
                    return .tr(
                        .td(.text(batch.cycle.name), .br(), .span(.class("muted"), .text(batch.messageID))),
                        .td(.class("num"), .text(Formatting.grouped(batch.paymentCount))), .td(.class("num"), .text(self.money(batch.paymentSum))),
                        .td(.text("\(batch.madeBy.displayName) · \(Formatting.dateTime(batch.madeAt))")),
                        .td(batch.status == .approved ? .text("\(batch.checkedBy?.displayName ?? "") · \(Formatting.dateTime(batch.checkedAt))")
                            : (self.role.canManagePayments && batch.$madeBy.id != me
                               ? .form(.class("inline"), .method(.post), .action("/payments/batches/\(id)/approve"), self.context.csrfField,
                                       .button(.class("primary"), .type(.submit), .text(t("Duyệt bảng kê", "Approve"))))
                               : .text(t("Chờ cán bộ thứ hai duyệt", "Waiting for a second officer")))),
                        .td(.if(batch.status == .approved && self.role.canManagePayments, .group(
                            .a(.href("/payments/batches/\(id)/files/manifest.json"), .text(t("Bảng kê tệp", "Manifest"))), .text(" · "),
                            .a(.href("/payments/batches/\(id)/files/cash-list.csv"), .text(t("Danh sách tiền mặt", "Cash list"))),
                            .form(.method(.post), .action("/payments/batches/\(id)/results"), .enctype(.multipartData), self.context.csrfField,
                                  .input(.type(.file), .name("file"), .required(true), .attribute(named: "accept", value: ".xml,.csv,.xlsx")),
                                  .button(.type(.submit), .text(t("Nhập kết quả ngân hàng", "Import the bank's result"))))))))
                })
            ))
        )
    }

    private var heldCard: Node<HTML.BodyContext> {
        let t = self.context.t
        return .div(.class("card"), .id("held"),
            .h2(.text(t("Khoản chi tạm giữ: tài khoản vừa thay đổi", "Held payments: the account changed just before the batch") + " (\(self.held.count))")),
            .table(
                .thead(.tr(.th(.text(t("Họ và tên", "Name"))), .th(.text(t("Tài khoản", "Account"))), .th(.class("num"), .text(t("Số tiền", "Amount"))), .th())),
                .tbody(.forEach(self.held) { payment in
                    .tr(.td(.text(payment.fullName)), .td(.text("\(payment.bin ?? "") · \(Masking.id(payment.accountNumber, for: self.role))")),
                        .td(.class("num"), .text(self.money(payment.amount))),
                        .td(.if(self.role.canManagePayments || self.role.canApproveAccounts,
                                .form(.class("inline"), .method(.post), .action("/payments/\(payment.id?.uuidString ?? "")/release"), self.context.csrfField,
                                      .button(.type(.submit), .text(t("Đã kiểm tra: cho chi", "Checked: release"))))))
                    )
                })
            )
        )
    }
}

/// A cycle's outcome in the user's area: shares as bars (laggards first), the table, and who is not paid yet.
struct OutcomeView {
    var context: PageContext
    var cycle: PaymentCycle
    var area: Area
    var report: PaymentOutcome.Report

    private var role: Role { self.context.user?.role ?? .auditor }

    var html: String {
        let t = self.context.t
        let total = self.report.total
        let bars = self.report.rows.map { row in
            SVGChart.Bar(label: row.name, share: row.accountShare, late: row.accountShare < 1 && row.pending > 0,
                         note: "\(row.paidAccount)/\(row.wantedAccount)")
        }
        let percent = { (share: Double) in "\(Int((share * 100).rounded(.down)))%" }
        return Layout.html(self.context, title: t("Kết quả chi trả", "Payment outcome"), .div(
            .h1(.text("\(t("Kết quả chi trả", "Payment outcome")) · \(self.cycle.name) · \(Places.areaName(self.area))")),
            .div(.class("card"),
                .p(.strong(.text(percent(total.accountShare))), .text(t(" số người muốn nhận qua tài khoản đã được chi qua tài khoản (mục tiêu 100%)",
                                                                           " of people who want account payment were paid through an account (goal 100%)"))),
                .p(.text(t("Được hưởng", "Entitled") + ": \(Formatting.grouped(total.entitled)) · " + t("qua tài khoản", "by account") + ": \(Formatting.grouped(total.paidAccount)) · "
                         + t("tiền mặt", "in cash") + ": \(Formatting.grouped(total.paidCash)) · " + t("chưa chi", "not paid yet") + ": \(Formatting.grouped(total.pending))"
                         + " · " + t("tổng tiền", "total") + ": \(Formatting.vnd(Int(total.amount)))")),
                .raw(SVGChart.bars(bars, title: t("Tỷ lệ chi qua tài khoản / số muốn nhận qua tài khoản", "Paid by account / wanting account payment"))),
                .table(.class("responsive"),
                    .thead(.tr(.th(.text(t("Đơn vị", "Unit"))), .th(.class("num"), .text(t("Được hưởng", "Entitled"))), .th(.class("num"), .text(t("Muốn qua TK", "Want account"))),
                               .th(.class("num"), .text(t("Đã chi qua TK", "Paid by account"))), .th(.class("num"), .text(t("Đã chi tiền mặt", "Paid in cash"))),
                               .th(.class("num"), .text(t("Chưa chi", "Not paid"))), .th(.class("num"), .text(t("Tạm giữ", "Held"))))),
                    .tbody(.forEach(self.report.rows) { row in
                        .tr(.td(.text(row.name)), .td(.class("num"), .text(Formatting.grouped(row.entitled))), .td(.class("num"), .text(Formatting.grouped(row.wantedAccount))),
                            .td(.class("num"), .text("\(Formatting.grouped(row.paidAccount)) (\(percent(row.accountShare)))")), .td(.class("num"), .text(Formatting.grouped(row.paidCash))),
                            .td(.class("num"), .text(Formatting.grouped(row.pending))), .td(.class("num"), .text(Formatting.grouped(row.held))))
                    })
                )
            ),
            .div(.class("card"), .id("unpaid"),
                .h2(.text(t("Chưa được chi trả", "Not paid yet") + " (\(Formatting.grouped(total.pending)))")),
                .p(.a(.href("/payments/cycles/\(self.cycle.id?.uuidString ?? "")/outcome?format=csv"), .text(t("Tải toàn bộ danh sách (CSV)", "Download the whole list (CSV)")))),
                .table(.class("responsive"),
                    .thead(.tr(.th(.text(t("Họ và tên", "Name"))), .th(.class("num"), .text(t("Số tiền", "Amount"))), .th(.text(t("Lý do", "Why"))), .th())),
                    .tbody(.forEach(self.report.unpaid) { row in
                        .tr(.td(.text(row.fullName)), .td(.class("num"), .text(Formatting.vnd(Int(row.amount)))), .td(.text(t(row.reasonVI, row.reasonEN))),
                            .td(.if(row.channel == .cash && self.role.canPayCash,
                                    .form(.method(.post), .action("/payments/\(row.paymentID.uuidString)/cash"), .enctype(.multipartData), self.context.csrfField,
                                          .input(.type(.text), .name("recipient"), .required(true), .value(row.fullName), .attribute(named: "maxlength", value: "120"),
                                                 .attribute(named: "aria-label", value: t("Người nhận", "Recipient"))),
                                          .input(.type(.file), .name("evidence"), .required(true), .attribute(named: "accept", value: "image/*"),
                                                 .attribute(named: "capture", value: "environment"), .attribute(named: "aria-label", value: t("Ảnh chữ ký", "Signature photo"))),
                                          .button(.type(.submit), .text(t("Đã chi tiền mặt", "Cash handed over")))))))
                    })
                )
            )
        ))
    }
}

/// What a bank's result file did to a batch.
struct ResultSummaryView {
    var context: PageContext
    var summary: PaymentResults.Summary

    var html: String {
        let t = self.context.t
        let s = self.summary
        let line = { (vi: String, en: String, totals: ControlTotals) -> Node<HTML.TableContext> in
            .tr(.td(.text(t(vi, en))), .td(.class("num"), .text(Formatting.grouped(totals.count))), .td(.class("num"), .text(Formatting.vnd(Int(totals.sum)))))
        }
        return Layout.html(self.context, title: t("Kết quả ngân hàng", "Bank result"), .div(
            .h1(.text(t("Kết quả ngân hàng", "Bank result") + ": \(s.fileName)")),
            .div(.class("card"),
                .if(s.alreadyImported, .p(.class("error"), .text(t("Tệp này đã được nhập trước đây: không có gì thay đổi.", "This file was imported before: nothing changed.")))),
                .p(.text(t("Dòng kết quả", "Results") + ": \(s.results) · " + t("ghi nhận", "recorded") + ": \(s.recorded) · "
                         + t("chuyển sang tiền mặt", "moved to cash") + ": \(s.movedToCash)")),
                .if(s.unknownEndToEndIDs + s.amountMismatches + s.conflicts > 0,
                    .p(.class("error"), .text(t("Cần xem", "To look at") + ": \(s.unknownEndToEndIDs) " + t("mã không có trong bảng kê", "unknown ids") + ", "
                                              + "\(s.amountMismatches) " + t("sai số tiền", "amount mismatches") + ", \(s.conflicts) " + t("mâu thuẫn", "conflicts")))),
                .table(
                    .thead(.tr(.th(), .th(.class("num"), .text(t("Giao dịch trong tệp này", "Transfers this file answers for"))), .th(.class("num"), .text(t("Số tiền", "Amount"))))),
                    .tbody(line("Đã gửi ngân hàng", "Issued", s.issued), line("Thành công", "Paid", s.paid), line("Thất bại (sang tiền mặt)", "Failed (to cash)", s.failed),
                           line("Đang xử lý", "Pending", s.pending), line("Chênh lệch", "Difference", s.difference))
                ),
                .p(.a(.href("/payments#batches"), .text(t("Về trang chi trả", "Back to payments"))))
            )
        ))
    }
}
