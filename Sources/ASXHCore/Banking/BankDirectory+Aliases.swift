extension BankDirectory {
    /// What people call banks besides the directory's names: abbreviations (stock tickers, old initials),
    /// the Vietnamese words of the registered name that people say ("Ngoại thương" for Vietcombank, "Công thương"
    /// for VietinBank), old names and common misspellings. Matched like everything else on folded words without
    /// noise, so "NH Ngoại Thương VN" and "ngoai thuong" are one alias.
    ///
    /// Kept by BIN, not by name, so that a renamed bank keeps its aliases. An abbreviation people use for two
    /// banks is listed for both (BVB: Bảo Việt and Bản Việt), so that it resolves as ambiguous, not as a guess.
    public static let aliases: [(alias: String, bin: String)] = [
        // Vietcombank
        ("VCB", "970436"), ("Ngoại thương", "970436"), ("Vietcom", "970436"), ("Bank for Foreign Trade", "970436"),
        // VietinBank ("Viettin" is how it is often misspelt)
        ("Công thương", "970415"), ("CTG", "970415"), ("ICB", "970415"), ("Vietin", "970415"), ("Viettin", "970415"),
        ("Viettinbank", "970415"), ("Vietinbank", "970415"),
        // BIDV
        ("Đầu tư và Phát triển", "970418"), ("Đầu tư Phát triển", "970418"), ("BID", "970418"),
        // Agribank
        ("Nông nghiệp", "970405"), ("Nông nghiệp và Phát triển Nông thôn", "970405"), ("Nông nghiệp và PTNT", "970405"),
        ("NHNo", "970405"), ("NHNo&PTNT", "970405"), ("VBARD", "970405"),
        // MB
        ("Quân đội", "970422"), ("MB", "970422"), ("MBB", "970422"), ("Military", "970422"),
        // Techcombank
        ("Kỹ thương", "970407"), ("TCB", "970407"), ("Techcom", "970407"),
        // ACB
        ("Á Châu", "970416"), ("Asia Commercial", "970416"),
        // Sacombank
        ("Sài Gòn Thương Tín", "970403"), ("STB", "970403"),
        // VPBank
        ("Việt Nam Thịnh Vượng", "970432"), ("Thịnh Vượng", "970432"), ("VPB", "970432"),
        // SHB
        ("Sài Gòn - Hà Nội", "970443"),
        // HDBank
        ("Phát triển TP Hồ Chí Minh", "970437"), ("Phát triển Thành phố Hồ Chí Minh", "970437"), ("HDB", "970437"),
        // LPBank, formerly LienVietPostBank
        ("Lộc Phát", "970449"), ("Bưu điện Liên Việt", "970449"), ("Liên Việt", "970449"), ("LienViet", "970449"),
        ("LPB", "970449"), ("LVB", "970449"),
        // TPBank
        ("Tiên Phong", "970423"), ("TPB", "970423"),
        // VIB
        ("Quốc tế", "970441"),
        // MSB, formerly Maritime Bank
        ("Hàng Hải", "970426"), ("Maritime", "970426"),
        // Eximbank
        ("Xuất Nhập khẩu", "970431"), ("EIB", "970431"), ("Exim", "970431"),
        // SeABank
        ("Đông Nam Á", "970440"), ("SSB", "970440"),
        // OCB
        ("Phương Đông", "970448"), ("Orient", "970448"),
        // SCB
        ("Sài Gòn", "970429"),
        // SaigonBank
        ("Sài Gòn Công Thương", "970400"), ("SGB", "970400"),
        // Nam A Bank, Bac A Bank, VietABank
        ("Nam Á", "970428"), ("NAB", "970428"), ("Bắc Á", "970409"), ("BAB", "970409"), ("Việt Á", "970427"),
        // VietBank
        ("Việt Nam Thương Tín", "970433"),
        // ABBank
        ("An Bình", "970425"), ("ABB", "970425"),
        // NCB, formerly Navibank (Nam Việt)
        ("Quốc Dân", "970419"), ("Navibank", "970419"), ("Nam Việt", "970419"),
        // PVcomBank
        ("Đại Chúng", "970412"), ("PVcom", "970412"),
        // PG Bank
        ("Xăng dầu Petrolimex", "970430"), ("Petrolimex", "970430"), ("PGB", "970430"),
        // BaoViet Bank ("BVB" is also said for BVBank, below)
        ("Bảo Việt", "970438"), ("BVB", "970438"),
        // BVBank, formerly Viet Capital Bank (Bản Việt)
        ("Bản Việt", "970454"), ("Viet Capital", "970454"), ("BVB", "970454"),
        // KienlongBank
        ("Kiên Long", "970452"), ("KLB", "970452"),
        // CB Bank
        ("Xây dựng", "970444"),
        // GPBank
        ("Dầu khí Toàn cầu", "970408"),
        // Co-op Bank
        ("Hợp tác xã", "970446"),
        // Vikki Bank, formerly DongA Bank
        ("Đông Á", "970406"), ("DongA", "970406"), ("DAB", "970406"),
        // MBV, formerly OceanBank
        ("Ocean", "970414"), ("OceanBank", "970414"), ("Đại Dương", "970414"), ("Việt Nam Hiện Đại", "970414"),
        // VietNgaBank
        ("Việt Nga", "970421"),
        // United Overseas Bank
        ("UOB", "970458"),
        // Indovina
        ("IVB", "970434"),
        // MoMo
        ("Ví MoMo", "971025"),
    ]
}
