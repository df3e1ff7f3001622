using GovMail.Core.Accounts;
using GovMail.Core.Directory;

namespace GovMail.Core.Tests.Directory;

public class StaffListCheckTests
{
    private const string Agency = "Sở Văn hóa và Thể thao";

    private static StaffListRow Row(
        int number, string? name = "Lê Đức Thịnh", string? title = "Chuyên viên", string? department = "Phòng Nghệ thuật",
        string? agency = Agency, string? phone = null, string? address = null, string? staffNumber = null, string? kind = null) =>
        new(number, number.ToString(System.Globalization.CultureInfo.InvariantCulture), name, title, department, agency, phone, address, staffNumber, kind);

    private static IReadOnlyList<StaffListProblem> Check(params StaffListRow[] rows) => StaffListCheck.Check(rows);

    private static string Codes(IEnumerable<StaffListProblem> problems) =>
        string.Join(", ", problems.Select(p => $"{p.RowNumber}:{p.Problem.Code}"));

    [Fact]
    public void The_seed_rows_pass()
    {
        var problems = Check(
            Row(5, "Lê Đức Thịnh", "Chuyên viên", "Phòng Nghệ thuật", phone: "0918.595.098", address: "ldthinh@svhtt.tphcm.gov.vn", kind: "Cá nhân"),
            Row(6, "Võ Anh Tuấn", "Cán sự", "Phòng Xây dựng nếp sống văn hóa và gia đình", phone: "(028) 3829 1234", address: "vatuan", kind: "ca nhan"),
            Row(7, "Phòng Nghệ thuật", null, "Phòng Nghệ thuật", phone: "+84 918 595 098", kind: "Tập thể"));

        Assert.Empty(problems);
    }

    [Fact]
    public void A_row_without_a_name_or_agency_is_refused_for_each()
    {
        var problems = Check(Row(3, name: "  ", agency: null));

        Assert.Equal("3:ImportNameMissing, 3:ImportAgencyMissing", Codes(problems));
        Assert.Equal("Thiếu họ tên.", problems[0].Problem.Message(Messages.Vietnamese));
        Assert.Equal("Full name is missing.", problems[0].Problem.Message(Messages.English));
    }

    [Theory]
    [InlineData("Nguyễn Văn 2", "ImportNameHasDigits")]
    [InlineData("Lê Thị 3 Hoa", "ImportNameHasDigits")]
    [InlineData("--- ...", "ImportNameNoLetters")]
    public void A_person_s_name_has_letters_and_no_digits(string name, string code)
    {
        var problem = Assert.Single(Check(Row(4, name: name)));

        Assert.Equal(4, problem.RowNumber);
        Assert.Equal(code, problem.Problem.Code);
    }

    [Fact]
    public void A_collective_mailbox_may_carry_a_ward_number()
    {
        Assert.Empty(Check(Row(2, name: "UBND Phường 12", title: null, department: "UBND Phường 12", kind: "Tập thể")));
    }

    [Fact]
    public void Names_titles_and_departments_have_length_limits()
    {
        var problems = Check(
            Row(2, name: new string('a', StaffListCheck.MaxNameLength)),
            Row(3, name: new string('a', StaffListCheck.MaxNameLength + 1)),
            Row(4, title: new string('t', 151), department: new string('p', 151)));

        Assert.Equal("3:ImportNameTooLong, 4:ImportTitleTooLong, 4:ImportDepartmentTooLong", Codes(problems));
        Assert.Equal("Họ tên dài quá 100 ký tự.", problems[0].Problem.Message(Messages.Vietnamese));
    }

    [Theory]
    [InlineData("0918.595.098")]
    [InlineData("0903 123 456")]
    [InlineData("0903-123-456")]
    [InlineData("(028) 3829 1234")]
    [InlineData("+84 918 595 098")]
    [InlineData("0283.829.123")]
    public void Vietnamese_phone_numbers_as_people_write_them_pass(string phone) =>
        Assert.Empty(Check(Row(2, phone: phone)));

    [Theory]
    [InlineData("918595098")]
    [InlineData("0918 595 09")]
    [InlineData("0918.595.098 / 0903.123.456")]
    [InlineData("091-xyz")]
    [InlineData("+1 202 555 0100")]
    public void A_phone_that_is_not_a_vietnamese_number_is_refused_with_its_value(string phone)
    {
        var problem = Assert.Single(Check(Row(9, phone: phone)));

        Assert.Equal("ImportPhoneInvalid", problem.Problem.Code);
        Assert.Contains(phone, problem.Problem.Message(Messages.English), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ldthinh@tphcm.gov.vn")]
    [InlineData("LDThinh@TPHCM.gov.vn")]
    [InlineData("ldthinh")]
    [InlineData("le.duc-thinh_2")]
    public void An_address_may_be_full_or_a_bare_local_part(string address) =>
        Assert.Empty(Check(Row(2, address: address)));

    [Theory]
    [InlineData("lht@svtt@tpchm.gov.vn")] // as printed in the seed's list, with two @
    [InlineData("lê.thịnh@tphcm.gov.vn")]
    [InlineData("ldthinh@gmail")]
    [InlineData("ld thinh")]
    public void An_invalid_address_is_refused_with_its_value(string address)
    {
        var problem = Assert.Single(Check(Row(2, address: address)));

        Assert.Equal("ImportAddressInvalid", problem.Problem.Code);
        Assert.Contains(address, problem.Problem.Message(Messages.Vietnamese), StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_address_names_both_rows()
    {
        var problems = Check(
            Row(4, address: "ldthinh@tphcm.gov.vn"),
            Row(5, name: "Lý Đức Thịnh", address: "other@tphcm.gov.vn"),
            Row(9, name: "Lý Đức Thịnh", address: "LDThinh@tphcm.gov.vn"));

        var problem = Assert.Single(problems);
        Assert.Equal(9, problem.RowNumber);
        Assert.Equal("ImportAddressRepeated", problem.Problem.Code);
        Assert.Equal("Địa chỉ hộp thư \"LDThinh@tphcm.gov.vn\" bị trùng với dòng 4.", problem.Problem.Message(Messages.Vietnamese));
    }

    [Fact]
    public void A_repeated_staff_number_names_both_rows()
    {
        var problems = Check(
            Row(2, staffNumber: "CB-001"),
            Row(3, name: "Võ Anh Tuấn", staffNumber: "CB-002"),
            Row(7, name: "Trần Thị Lan", staffNumber: "cb-001"));

        var problem = Assert.Single(problems);
        Assert.Equal(7, problem.RowNumber);
        Assert.Equal("Staff number \"cb-001\" is the same as on row 2.", problem.Problem.Message(Messages.English));
    }

    [Fact]
    public void The_same_name_twice_is_not_a_problem_of_the_list()
    {
        // Namesakes are common; their addresses are told apart when the accounts are issued.
        Assert.Empty(Check(Row(2, name: "Nguyễn Văn Hùng"), Row(3, name: "Nguyễn Văn Hùng")));
    }

    [Theory]
    [InlineData("Cá nhân", AccountKind.Individual)]
    [InlineData("ca nhan", AccountKind.Individual)]
    [InlineData("INDIVIDUAL", AccountKind.Individual)]
    [InlineData("Tập thể", AccountKind.Collective)]
    [InlineData("tap  the", AccountKind.Collective)]
    [InlineData("Collective", AccountKind.Collective)]
    [InlineData("Dịch vụ", AccountKind.Service)]
    [InlineData("dich vu", AccountKind.Service)]
    [InlineData("service", AccountKind.Service)]
    public void Kinds_are_read_in_vietnamese_or_english_with_or_without_diacritics(string text, AccountKind kind) =>
        Assert.Equal(kind, StaffListCheck.ParseKind(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Cán bộ")]
    public void A_blank_or_unknown_kind_parses_to_nothing(string? text) =>
        Assert.Null(StaffListCheck.ParseKind(text));

    [Fact]
    public void An_unknown_kind_is_refused_and_a_blank_one_is_not()
    {
        var problems = Check(Row(2, kind: "Cán bộ"), Row(3, kind: " "));

        var problem = Assert.Single(problems);
        Assert.Equal(2, problem.RowNumber);
        Assert.Equal("Loại tài khoản \"Cán bộ\" không rõ; hãy ghi Cá nhân, Tập thể hoặc Dịch vụ.", problem.Problem.Message(Messages.Vietnamese));
    }

    [Fact]
    public void Every_broken_rule_of_every_row_is_reported_in_row_order()
    {
        var problems = Check(
            Row(2),
            Row(3, name: null, phone: "12"),
            Row(4, agency: "", kind: "x"));

        Assert.Equal("3:ImportNameMissing, 3:ImportPhoneInvalid, 4:ImportKindUnknown, 4:ImportAgencyMissing", Codes(problems));
    }

    [Fact]
    public void Every_import_message_exists_in_vietnamese_and_english()
    {
        var codes = new[]
        {
            "ImportNameMissing", "ImportNameNoLetters", "ImportNameHasDigits", "ImportNameTooLong", "ImportAgencyMissing",
            "ImportTitleTooLong", "ImportDepartmentTooLong", "ImportPhoneInvalid", "ImportAddressInvalid", "ImportKindUnknown",
            "ImportAddressRepeated", "ImportStaffNumberRepeated", "ImportFileUnreadable", "ImportFileTypeUnknown",
            "ImportFileEmpty", "ImportFileTooLarge", "ImportTooManyRows", "ImportNoHeader", "ImportNameColumnMissing",
            "ImportAgencyColumnMissing", "ImportNameAndAgencyColumnsMissing", "ImportNoRows", "ImportXlsxCorrupt",
            "ImportXlsxOldOrEncrypted", "ImportCsvNotUtf8", "ImportCsvUnclosedQuote",
        };
        foreach (var code in codes)
        {
            var vi = Messages.Get(code, Messages.Vietnamese);
            var en = Messages.Get(code, Messages.English);
            Assert.NotEqual(code, vi);
            Assert.NotEqual(code, en);
            Assert.NotEqual(vi, en);
        }
    }
}
