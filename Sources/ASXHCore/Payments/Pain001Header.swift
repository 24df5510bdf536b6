import Foundation

/// The group header of a credit transfer file (pain.001): one per file.
public struct Pain001Header: Sendable, Hashable {
    /// `MsgId`, unique for every file the department sends (at most 35 characters, printable ASCII),
    /// e.g. "ASXH-TET2024-970405-1".
    public var messageID: String
    /// `CreDtTm`, written in Vietnam's time zone.
    public var createdAt: Date
    /// `InitgPty/Nm`: who made the file, e.g. "SO LAO DONG THUONG BINH VA XA HOI HA NOI".
    public var initiatingPartyName: String

    public init(messageID: String, createdAt: Date, initiatingPartyName: String) {
        self.messageID = messageID
        self.createdAt = createdAt
        self.initiatingPartyName = initiatingPartyName
    }
}

/// The paying side of one payment information block (`PmtInf`): the account debited and the day the bank should
/// pay. A file for one bank usually has one block.
public struct Pain001PaymentInformation: Sendable, Hashable {
    /// `PmtInfId`, at most 35 characters, printable ASCII.
    public var id: String
    /// `ReqdExctnDt/Dt`.
    public var requestedExecutionDate: CalendarDay
    /// `Dbtr/Nm`: the department (or the paying office).
    public var debtorName: String
    /// `DbtrAcct/Id/Othr/Id`: the account the money leaves from.
    public var debtorAccount: String
    /// `DbtrAgt/FinInstnId/ClrSysMmbId/MmbId`: the BIN of the bank holding that account.
    public var debtorBankBIN: String

    public init(
        id: String,
        requestedExecutionDate: CalendarDay,
        debtorName: String,
        debtorAccount: String,
        debtorBankBIN: String
    ) {
        self.id = id
        self.requestedExecutionDate = requestedExecutionDate
        self.debtorName = debtorName
        self.debtorAccount = debtorAccount
        self.debtorBankBIN = debtorBankBIN
    }
}
