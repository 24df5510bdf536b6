import Fluent
import Vapor

extension Application {
    /// The one ordered, append-only list of migrations, for SQLite and PostgreSQL alike.
    func registerMigrations() {
        self.migrations.add(SessionRecord.migration)
        // 001: foundation
        self.migrations.add(CreateUser())
        self.migrations.add(CreatePerson())
        self.migrations.add(CreateSourceList())
        self.migrations.add(CreateEnrolment())
        self.migrations.add(CreateCampaign())
        self.migrations.add(CreateAuditEvent())
        self.migrations.add(EnableSQLiteWAL())
        // 002: step 1 matching
        self.migrations.add(CreateRegisterMatch())
        self.migrations.add(AddPersonMergedInto())
        self.migrations.add(AddPersonIdentityKey())
        self.migrations.add(DropLowValuePeopleIndexes())
        // 003: the import write path at city scale
        self.migrations.add(LeanPeopleIndexes())
        self.migrations.add(StatementLevelReferences())
        self.migrations.add(CampaignCasesByPerson())
        self.migrations.add(ImportTimestampsByDefault())
        // 004: hardening before steps 2–5
        self.migrations.add(CreateUserSessions())
        self.migrations.add(AddAuditEventPlace())
        self.migrations.add(BlockAuditTruncate())
        self.migrations.add(AddCampaignPlace())
        self.migrations.add(IdentityKeyByBirthYear())
        // 005: steps 2–4
        self.migrations.add(AddCampaignSchedule())
        self.migrations.add(CreateQuestionnaire())
        self.migrations.add(CreateWorkingGroup())
        self.migrations.add(AddCaseFieldwork())
        self.migrations.add(CreateVisit())
        self.migrations.add(CreateCommuneSignoff())
        self.migrations.add(CreateDeviceToken())
        self.migrations.add(AddCasePlace())
        self.migrations.add(CasePagesRoomForVisits())
        self.migrations.add(AddCaseFollowUp())
        self.migrations.add(CreateClassChange())
        // 006: step 5
        self.migrations.add(CreateBankAccount())
        self.migrations.add(CreateAccountSync())
        self.migrations.add(CreatePayments())
        // 007: payments at city scale
        self.migrations.add(PaymentsByCycle())
    }
}
