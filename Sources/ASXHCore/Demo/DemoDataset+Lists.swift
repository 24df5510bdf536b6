/// One row of a department list, with the noise that went into it.
struct DemoListRow {
    var cells: [Cell]
    var noise: [DemoNoiseKind]
}

extension DemoDataset {
    /// The columns of a department list, in the department's order and words.
    public static let listHeader = [
        "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Địa chỉ", "Mã xã", "Nhóm đối tượng", "Diện hưởng",
        "Mức hưởng (VND)", "Số tài khoản", "Ngân hàng", "Ghi chú",
    ]

    static let remarks = [
        "Tăng mới", "Hưởng từ tháng 01/2024", "Hưởng từ tháng 07/2024", "Chuyển đến", "Điều chỉnh mức hưởng",
        "Đã xác minh", "Hộ nghèo năm 2024", "Nhận qua bưu điện",
    ]

    /// Which of `config.lists` holds the person's listing in `entitlement`'s group: with several lists for a group,
    /// people are spread over them by the lists' weights, the same way for every run of a seed.
    func listIndex(for entitlement: DemoPerson.Entitlement, person index: Int) -> Int? {
        guard let lists = self.listsByGroup[entitlement.group], !lists.isEmpty else { return nil }
        guard lists.count > 1 else { return lists[0] }
        var r = self.random(.listChoice, index)
        let total = lists.reduce(0.0) { $0 + self.config.lists[$1].weight }
        var u = r.unit() * total
        for list in lists {
            u -= self.config.lists[list].weight
            if u < 0 { return list }
        }
        return lists[lists.count - 1]
    }

    /// The kinds that describe the person rather than one row.
    func personNoise(_ core: Core, _ flags: Flags) -> [DemoNoiseKind] {
        var kinds: [DemoNoiseKind] = []
        if core.commune != core.listedCommune { kinds.append(.movedCommune) }
        if core.entitlements.count > 1 { kinds.append(.onTwoLists) }
        if !flags.inRegister {
            kinds.append(.notInRegister)
        } else {
            if core.deathDay != nil { kinds.append(.deceasedInRegister) }
            switch core.registerBirth {
            case .yearOnly: kinds.append(.registerYearOnly)
            case .januaryFirst: kinds.append(.registerJanuaryFirst)
            case .full: break
            }
        }
        if flags.namesake { kinds.append(.namesakeInRegister) }
        if self.neighbours[core.index] != nil { kinds.append(.idNeighbourInRegister) }
        return kinds
    }

    /// Draws at most one kind of `kinds` with their configured rates (their sum should stay below 1).
    func drawOne(_ kinds: [DemoNoiseKind], _ random: inout DemoRandom) -> DemoNoiseKind? {
        var u = random.unit()
        for kind in kinds {
            let rate = self.config.rate(kind)
            if u < rate { return kind }
            u -= rate
        }
        return nil
    }

    func listRow(
        core: Core, flags: Flags, occurrence: Int, number: Int, format: DemoFileFormat
    ) -> DemoListRow {
        var r = self.random(.listRow, core.index * 2 + occurrence)
        let entitlement = core.entitlements[occurrence]
        let xlsx = format == .xlsx
        var noise = self.personNoise(core, flags)
        var cells = [Cell](repeating: .empty, count: Self.listHeader.count)
        cells[0] = .number(Double(number))

        // Name. Tone placement is a matter of the typist's software, so it applies to a share of the names that
        // have an oa/oe/uy syllable at all, on top of any other name noise.
        var name = core.fullName
        if let variant = DemoNoise.tonePlacementVariant(name), r.chance(self.config.rate(.nameTonePlacement)) {
            name = variant
            noise.append(.nameTonePlacement)
        }
        switch self.drawOne(
            [.nameWithoutDiacritics, .nameMisspelt, .nameDecomposed, .nameTCVN3, .nameVNI], &r)
        {
        case .nameWithoutDiacritics?:
            name = DemoNoise.withoutDiacritics(name, upperCase: r.chance(0.5))
            noise.append(.nameWithoutDiacritics)
            noise.removeAll { $0 == .nameTonePlacement }
        case .nameMisspelt?:
            if let misspelt = DemoNoise.misspelt(name, random: &r) {
                name = misspelt
                noise.append(.nameMisspelt)
            }
        case .nameDecomposed?:
            let decomposed = name.decomposedStringWithCanonicalMapping
            if !decomposed.unicodeScalars.elementsEqual(name.unicodeScalars) {
                name = decomposed
                noise.append(.nameDecomposed)
            }
        case .nameTCVN3?:
            name = LegacyEncoding.encode(name, as: .tcvn3)
            noise.append(.nameTCVN3)
        case .nameVNI?:
            name = LegacyEncoding.encode(name, as: .vni)
            noise.append(.nameVNI)
        default:
            break
        }
        cells[1] = .text(name)

        // Birth date
        let birth = core.birthDay
        switch self.drawOne([.birthYearOnly, .birthDayMonthSwapped], &r) {
        case .birthYearOnly?:
            cells[2] = xlsx && r.chance(0.5) ? .number(Double(birth.year)) : .text(String(birth.year))
            noise.append(.birthYearOnly)
        case .birthDayMonthSwapped? where birth.day <= 12 && birth.day != birth.month:
            let swapped = DemoDay(year: birth.year, month: birth.day, day: birth.month)
            noise.append(.birthDayMonthSwapped)
            cells[2] = self.dateCell(swapped, xlsx: xlsx, noise: &noise, random: &r)
        default:
            cells[2] = self.dateCell(birth, xlsx: xlsx, noise: &noise, random: &r)
        }

        cells[3] = .text(core.female ? Gender.female.labelVI : Gender.male.labelVI)

        // Identity number
        let id = core.personalID
        var idKind = self.drawOne([.idMissing, .oldIDInstead, .idTypo, .idTransposed, .idLeadingZerosLost], &r)
        if idKind != .idMissing, let neighbour = self.neighbours[core.index],
           r.chance(self.config.rate(.idTypoHitsOtherPerson))
        {
            cells[4] = .text(neighbour)
            noise.append(contentsOf: [.idTypo, .idTypoHitsOtherPerson])
            idKind = nil
        } else {
            cells[4] = .text(id)
        }
        switch idKind {
        case .idMissing?:
            cells[4] = .empty
            noise.append(.idMissing)
        case .oldIDInstead?:
            if let old = core.oldID {
                cells[4] = .text(old)
                noise.append(.oldIDInstead)
            }
        case .idTypo?:
            cells[4] = .text(DemoNoise.digitTypo(id, positions: 4...11, random: &r))
            noise.append(.idTypo)
        case .idTransposed?:
            if let swapped = DemoNoise.transposed(id, firstPositions: 4...10, random: &r) {
                cells[4] = .text(swapped)
                noise.append(.idTransposed)
            }
        case .idLeadingZerosLost?:
            let value = Int(id) ?? 0
            cells[4] = xlsx ? .number(Double(value)) : .text(String(value))
            noise.append(.idLeadingZerosLost)
        default:
            break
        }

        // Address and commune
        let commune = self.places.communes[core.listedCommune]
        cells[5] = .text(self.listAddress(house: core.listedHouseAddress, commune: commune, random: &r))
        if commune.code.hasPrefix("0") && r.chance(self.config.rate(.communeCodeLeadingZeroLost)) {
            let value = Int(commune.code) ?? 0
            cells[6] = xlsx ? .number(Double(value)) : .text(String(value))
            noise.append(.communeCodeLeadingZeroLost)
        } else {
            cells[6] = .text(commune.code)
        }

        cells[7] = .text(entitlement.group.labelVI)
        cells[8] = .text(entitlement.subGroup)
        if r.chance(self.config.rate(.amountAsText)) {
            cells[9] = .text(DemoNoise.amountText(entitlement.monthlyAmount))
            noise.append(.amountAsText)
        } else {
            cells[9] = xlsx ? .number(Double(entitlement.monthlyAmount)) : .text(String(entitlement.monthlyAmount))
        }
        if let bank = core.bank {
            cells[10] = .text(bank.number)
            cells[11] = .text(bank.shortName)
        }
        if r.chance(0.06) { cells[12] = .text(r.pick(Self.remarks)) }

        // Rows the import has to reject.
        switch self.drawOne([.badNoName, .badImpossibleDate, .badLettersInID], &r) {
        case .badNoName?:
            cells[1] = .empty
            noise.append(.badNoName)
        case .badImpossibleDate?:
            let impossible = r.pick(["31/02/", "30/02/", "32/01/", "15/13/", "00/05/"])
            cells[2] = .text(impossible + String(birth.year))
            noise.removeAll { $0 == .birthYearOnly || $0 == .birthDayMonthSwapped || $0 == .birthDateSerial }
            noise.append(.badImpossibleDate)
        case .badLettersInID?:
            cells[4] = .text(DemoNoise.lettersInID(id, random: &r))
            noise.removeAll {
                [.idMissing, .oldIDInstead, .idTypo, .idTransposed, .idLeadingZerosLost, .idTypoHitsOtherPerson]
                    .contains($0)
            }
            noise.append(.badLettersInID)
        default:
            break
        }
        noise.sort()
        return DemoListRow(cells: cells, noise: noise)
    }

    func dateCell(_ day: DemoDay, xlsx: Bool, noise: inout [DemoNoiseKind], random: inout DemoRandom) -> Cell {
        if xlsx && random.chance(self.config.rate(.birthDateSerial)) {
            noise.append(.birthDateSerial)
            return .date(serial: Double(day.excelSerial))
        }
        return .text(day.vietnamese)
    }

    /// The address as departments write it: house part, then commune and district, sometimes abbreviated.
    func listAddress(house: String, commune: DemoCommune, random: inout DemoRandom) -> String {
        if random.chance(0.3) {
            return house + ", " + Self.abbreviated(commune.fullName) + ", " + Self.abbreviated(commune.districtFullName)
        }
        return house + ", " + commune.fullName + ", " + commune.districtFullName
    }

    /// "Phường Kim Mã" → "P. Kim Mã", "Thị trấn Tây Đằng" → "TT. Tây Đằng".
    static func abbreviated(_ fullName: String) -> String {
        for (long, short) in [("Thị trấn ", "TT. "), ("Thị xã ", "TX. "), ("Phường ", "P. "), ("Xã ", "X. "),
                              ("Quận ", "Q. "), ("Huyện ", "H. ")] where fullName.hasPrefix(long) {
            return short + fullName.dropFirst(long.count)
        }
        return fullName
    }
}
