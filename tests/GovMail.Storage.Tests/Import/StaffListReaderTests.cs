using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using GovMail.Core;
using GovMail.Core.Directory;
using GovMail.Storage.Import;

namespace GovMail.Storage.Tests.Import;

public class StaffListReaderTests
{
    private const string Header = "STT,Họ và tên,Chức danh,Phòng ban,Cơ quan,Điện thoại,Loại";
    private const string So = "Sở Văn hóa và Thể thao";

    private static StaffListReadResult Csv(string text, bool bom = false, string fileName = "danh-sach.csv")
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bom) bytes = [0xEF, 0xBB, 0xBF, .. bytes];
        return StaffListReader.Read(new MemoryStream(bytes), fileName);
    }

    private static IReadOnlyList<StaffListRow> Rows(StaffListReadResult result)
    {
        Assert.True(result.IsOk, result.Problem?.Message(Messages.English));
        return result.Rows;
    }

    private static Problem Refusal(StaffListReadResult result, string code)
    {
        Assert.False(result.IsOk, "the file was read, but should have been refused with " + code);
        Assert.Empty(result.Rows);
        Assert.Equal(code, result.Problem.Code);
        return result.Problem;
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GovMail.slnx"))) return dir.FullName;
        throw new InvalidOperationException("GovMail.slnx not found above " + AppContext.BaseDirectory);
    }

    // ---- CSV ----

    [Fact]
    public void The_good_fixture_is_read_below_its_title_rows_with_every_column()
    {
        var rows = Rows(StaffListReader.Read(Fixture("staff-list-good.csv")));

        Assert.Equal([5, 6, 7, 8], rows.Select(r => r.RowNumber));
        Assert.Equal(
            new StaffListRow(5, "1", "Lê Đức Thịnh", "Chuyên viên", "Phòng Nghệ thuật", So, "0918.595.098",
                "ldthinh@svhtt.tphcm.gov.vn", "SVHTT-001", "Cá nhân"),
            rows[0]);
        Assert.Equal("Chuyên viên, kiêm Văn thư", rows[2].Title);
        Assert.Null(rows[2].Address);
        Assert.Null(rows[2].Kind);
        Assert.Equal("Tập thể", rows[3].Kind);
        Assert.Empty(StaffListCheck.Check(rows));
    }

    [Fact]
    public void The_bad_fixture_yields_every_bad_row_with_its_number_and_reason()
    {
        var rows = Rows(StaffListReader.Read(Fixture("staff-list-bad.csv")));
        var problems = StaffListCheck.Check(rows);

        Assert.Equal(10, rows.Count); // the blank line 11 is skipped, not reported
        Assert.Equal(
            [
                "3 ImportNameMissing: Full name is missing.",
                "4 ImportNameHasDigits: Full name \"Nguyễn Văn 2\" contains digits; a name may only have letters.",
                "5 ImportAgencyMissing: Agency is missing.",
                "6 ImportPhoneInvalid: Phone number \"0918 595\" is not valid; write it like 0918.595.098 or (028) 3829 1234.",
                "7 ImportAddressInvalid: Mail address \"lht@svtt@tpchm.gov.vn\" is not valid; use only letters without accents, digits, dots, hyphens or underscores, e.g. ldthinh@tphcm.gov.vn.",
                "8 ImportAddressRepeated: Mail address \"LDThinh@svhtt.tphcm.gov.vn\" is the same as on row 2.",
                "9 ImportStaffNumberRepeated: Staff number \"CB01\" is the same as on row 2.",
                "10 ImportKindUnknown: Account kind \"Cán bộ\" is not recognised; write Individual, Collective or Service.",
            ],
            problems.Select(p => $"{p.RowNumber} {p.Problem.Code}: {p.Problem.Message(Messages.English)}"));
    }

    [Fact]
    public void The_demo_staff_list_is_read_whole_and_passes_every_rule()
    {
        var path = Path.Combine(RepoRoot(), "src", "GovMail", "Demo", "demo-staff.csv");

        var rows = Rows(StaffListReader.Read(path));

        Assert.InRange(rows.Count, 300, 400);
        Assert.Empty(StaffListCheck.Check(rows).Select(p => $"{p.RowNumber}: {p.Problem.Message(Messages.English)}"));
        Assert.Equal(["Sở Văn hóa và Thể thao", "Trung tâm Thông tin Triển lãm", "UBND huyện Bình Chánh"], rows.Select(r => r.Agency).Distinct());
        Assert.Contains(rows, r => r is { FullName: "Lê Đức Thịnh", Department: "Phòng Nghệ thuật" });
        Assert.Contains(rows, r => r is { FullName: "Võ Anh Tuấn", Department: "Phòng Xây dựng nếp sống văn hóa và gia đình" });
        // One collective mailbox per department, named after it.
        var departments = rows.Where(r => r.Department is not null).Select(r => r.Department).Distinct().ToList();
        var collectives = rows.Where(r => r.Kind == "Tập thể").ToList();
        Assert.Equal(departments.Count, collectives.Count);
        Assert.All(collectives, r => Assert.Equal(r.Department, r.FullName));
    }

    [Fact]
    public void A_semicolon_separated_file_is_recognised_from_its_header()
    {
        var rows = Rows(Csv("STT;Họ và tên;Cơ quan;Điện thoại\n1;Lê Đức Thịnh;Sở Văn hóa và Thể thao;0918 595 098\n"));

        var row = Assert.Single(rows);
        Assert.Equal(("Lê Đức Thịnh", So, "0918 595 098"), (row.FullName, row.Agency, row.Phone));
    }

    [Fact]
    public void A_tab_separated_file_with_commas_in_its_values_is_recognised()
    {
        var rows = Rows(Csv("Full name\tTitle\tAgency\nLê Đức Thịnh\tChuyên viên, Văn thư\tSở Văn hóa và Thể thao\n"));

        Assert.Equal("Chuyên viên, Văn thư", Assert.Single(rows).Title);
    }

    [Fact]
    public void A_byte_order_mark_does_not_hide_the_first_heading()
    {
        var rows = Rows(Csv("Họ và tên,Cơ quan\r\nVõ Anh Tuấn,Sở Văn hóa và Thể thao\r\n", bom: true));

        var row = Assert.Single(rows);
        Assert.Equal((2, "Võ Anh Tuấn"), (row.RowNumber, row.FullName));
    }

    [Fact]
    public void Quoted_fields_keep_separators_quotes_and_line_breaks_and_later_rows_keep_their_line_numbers()
    {
        var text = Header + "\n"
            + "1,\"Nguyễn Văn \"\"Út\"\" An\",\"Chuyên viên,\nkiêm Văn thư\",Văn phòng Sở,Sở Văn hóa và Thể thao,,Cá nhân\n"
            + "2,Võ Anh Tuấn,Cán sự,Văn phòng Sở,Sở Văn hóa và Thể thao,,\n";

        var rows = Rows(Csv(text));

        Assert.Equal([2, 4], rows.Select(r => r.RowNumber));
        Assert.Equal("Nguyễn Văn \"Út\" An", rows[0].FullName);
        Assert.Equal("Chuyên viên,\nkiêm Văn thư", rows[0].Title);
        Assert.Equal("Võ Anh Tuấn", rows[1].FullName);
    }

    [Fact]
    public void A_quote_that_is_never_closed_is_refused_with_its_line()
    {
        var problem = Refusal(Csv(Header + "\n1,Lê Đức Thịnh,Chuyên viên,,Sở,,\n2,\"Võ Anh Tuấn,Cán sự,,Sở,,\n3,Trần Thị Lan,,,Sở,,\n"),
            "ImportCsvUnclosedQuote");

        Assert.Equal("Dấu ngoặc kép mở ở dòng 3 không được đóng lại.", problem.Message(Messages.Vietnamese));
    }

    [Theory]
    [InlineData("so tt,HO VA TEN (*),Chuc vu,BO PHAN / PHONG BAN,Co quan,SĐT,E-mail,Mã số,Loai")]
    [InlineData("STT,Họ tên,Tiêu đề,Bộ phận,Đơn vị,Số điện thoại,Địa chỉ hộp thư,Mã cán bộ,Loại tài khoản")]
    [InlineData("No,Name,Title,Department,Agency,Phone,Address,Staff number,Kind")]
    [InlineData("No.;Full Name;Job title;Department;Agency;Phone number;Email;Staff No;Account kind")]
    public void Headings_are_matched_without_case_or_diacritics_in_vietnamese_or_english(string header)
    {
        var separator = header.Contains(';', StringComparison.Ordinal) ? ";" : ",";
        var values = new[] { "1", "Lê Đức Thịnh", "Chuyên viên", "Phòng Nghệ thuật", So, "0918.595.098", "ldthinh", "CB1", "ca nhan" };

        var row = Assert.Single(Rows(Csv(header + "\n" + string.Join(separator, values) + "\n")));

        Assert.Equal(new StaffListRow(2, "1", "Lê Đức Thịnh", "Chuyên viên", "Phòng Nghệ thuật", So, "0918.595.098", "ldthinh", "CB1", "ca nhan"), row);
    }

    [Fact]
    public void Blank_rows_and_rows_with_only_a_preprinted_number_are_skipped()
    {
        var rows = Rows(Csv(Header + "\n\n,,,,,,\n1,Lê Đức Thịnh,,,Sở Văn hóa và Thể thao,,\n2,,,,,,\n   \n3,,,,,,\n"));

        Assert.Equal(4, Assert.Single(rows).RowNumber);
    }

    [Fact]
    public void Values_are_trimmed_and_composed()
    {
        var decomposed = "Lê Đức Thịnh".Normalize(NormalizationForm.FormD);

        var row = Assert.Single(Rows(Csv($"Họ và tên,Cơ quan\n  {decomposed}\u00A0, Sở Văn hóa và Thể thao \n")));

        Assert.Equal(("Lê Đức Thịnh", So), (row.FullName, row.Agency));
    }

    [Theory]
    [InlineData("918595098", "0918595098")]
    [InlineData("2838291234", "02838291234")]
    [InlineData("84918595098", "+84918595098")]
    [InlineData("0918595098", "0918595098")]
    public void A_phone_that_lost_its_leading_zero_in_excel_gets_it_back(string written, string read)
    {
        var row = Assert.Single(Rows(Csv($"Họ và tên,Cơ quan,Điện thoại\nLê Đức Thịnh,Sở,{written}\n")));

        Assert.Equal(read, row.Phone);
    }

    [Fact]
    public void A_list_without_an_agency_column_is_refused_naming_the_column()
    {
        var problem = Refusal(Csv("DANH SÁCH CÁN BỘ\n\nSTT,Họ và tên,Chức danh,Phòng ban\n1,Lê Đức Thịnh,Chuyên viên,Phòng Nghệ thuật\n"),
            "ImportAgencyColumnMissing");

        Assert.Equal("Dòng tiêu đề (dòng 3) thiếu cột \"Cơ quan\" (hoặc \"Đơn vị\").", problem.Message(Messages.Vietnamese));
        Assert.Equal("The heading row (row 3) has no \"Agency\" column.", problem.Message(Messages.English));
    }

    [Fact]
    public void A_heading_row_without_a_name_column_is_refused_naming_the_column()
    {
        var problem = Refusal(Csv("STT,Chức danh,Cơ quan\n1,Chuyên viên,Sở Văn hóa và Thể thao\n"), "ImportNameColumnMissing");

        Assert.Contains("\"Full name\"", problem.Message(Messages.English), StringComparison.Ordinal);
        Refusal(Csv("STT,Chức danh,Điện thoại\n1,Chuyên viên,0918595098\n"), "ImportNameAndAgencyColumnsMissing");
    }

    [Fact]
    public void A_file_without_any_heading_is_refused()
    {
        Refusal(Csv("Lê Đức Thịnh,Chuyên viên,Sở Văn hóa và Thể thao\nVõ Anh Tuấn,Cán sự,Sở Văn hóa và Thể thao\n"), "ImportNoHeader");
    }

    [Fact]
    public void A_heading_without_rows_is_refused()
    {
        var problem = Refusal(Csv(Header + "\n\n"), "ImportNoRows");

        Assert.Contains("danh-sach.csv", problem.Message(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \n,,,\n")]
    public void An_empty_file_is_refused(string text)
    {
        Refusal(Csv(text), "ImportFileEmpty");
        Refusal(Csv(text, bom: true), "ImportFileEmpty");
    }

    [Fact]
    public void A_file_saved_in_the_vietnamese_windows_code_page_is_refused_with_advice()
    {
        // Excel's plain "CSV (Comma delimited)" on a Vietnamese Windows writes code page 1258, not UTF-8.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = Encoding.GetEncoding(1258).GetBytes("Họ và tên,Cơ quan\nLê Văn Tám,Sở Văn hóa và Thể thao\n");

        var problem = Refusal(StaffListReader.Read(new MemoryStream(bytes), "ds.csv"), "ImportCsvNotUtf8");

        Assert.Contains("CSV UTF-8", problem.Message(Messages.English), StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_garbage_named_csv_is_refused()
    {
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);

        Refusal(StaffListReader.Read(new MemoryStream(garbage), "ds.csv"), "ImportCsvNotUtf8");
        Refusal(StaffListReader.Read(new MemoryStream(new byte[100]), "ds.csv"), "ImportCsvNotUtf8");
    }

    [Fact]
    public void More_than_the_row_limit_is_refused()
    {
        var text = new StringBuilder("Họ và tên,Cơ quan\n");
        for (var i = 0; i <= StaffListReader.MaxDataRows; i++) text.Append("Lê Đức Thịnh,Sở\n");

        var problem = Refusal(Csv(text.ToString()), "ImportTooManyRows");

        Assert.Equal("The list has more than 100,000 rows; split it into smaller files.", problem.Message(Messages.English));
    }

    [Fact]
    public void A_file_larger_than_the_limit_is_refused_while_reading_it()
    {
        var problem = Refusal(StaffListReader.Read(new EndlessStream(), "ds.csv"), "ImportFileTooLarge");

        Assert.Equal($"The file \"ds.csv\" is too large: at most {StaffListReader.MaxFileMegabytes} MB.", problem.Message(Messages.English));
    }

    [Theory]
    [InlineData("danh-sach.xls")]
    [InlineData("danh-sach.txt")]
    [InlineData("danh-sach")]
    public void Other_file_types_are_refused(string fileName)
    {
        var problem = Refusal(StaffListReader.Read(new MemoryStream([1, 2, 3]), fileName), "ImportFileTypeUnknown");

        Assert.Contains(fileName, problem.Message(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), "govmail-missing-" + Guid.NewGuid().ToString("N") + ".xlsx");

        var problem = Refusal(StaffListReader.Read(path), "ImportFileUnreadable");

        Assert.Contains(Path.GetFileName(path), problem.Message(), StringComparison.Ordinal);
    }

    // ---- .xlsx ----

    [Fact]
    public void A_workbook_is_read_below_its_title_rows_with_numbers_as_typed_and_missing_cells_in_place()
    {
        var xlsx = Workbook.Build(
            (1, [new("A1", "THỐNG KÊ TÌNH HÌNH SỬ DỤNG THƯ ĐIỆN TỬ TPHCM - QUÝ I NĂM 2024")]),
            (2, [new("A2", "SỞ VĂN HÓA VÀ THỂ THAO")]),
            (4, [new("A4", "Stt"), new("B4", "Tên thể hiện"), new("C4", "Tiêu đề"), new("D4", "Bộ phận/ Phòng ban"),
                 new("E4", "Cơ quan"), new("F4", "Điện thoại"), new("G4", "Mã cán bộ")]),
            (5, [new("A5", "1", Workbook.Kind.Number), new("B5", "Lê Đức Thịnh"), new("C5", "Chuyên viên"), new("D5", "Phòng Nghệ thuật"),
                 new("E5", So), new("F5", "918595098", Workbook.Kind.Number), new("G5", "1.234567E6", Workbook.Kind.Number)]),
            // No C6: the title is missing, and the department must stay in its own column.
            (6, [new("A6", "2.0", Workbook.Kind.Number), new("B6", "Võ Anh Tuấn", Workbook.Kind.Inline),
                 new("D6", "Phòng Xây dựng nếp sống văn hóa và gia đình"), new("E6", So), new("F6", "0903 123 456")]),
            (7, []),
            (9, [new("A9", "3", Workbook.Kind.Number), new("B9", "Nguyễn Văn An", Workbook.Kind.RichText), new("E9", So),
                 new("F9", "2838291234", Workbook.Kind.Number)]));

        var rows = Rows(StaffListReader.Read(new MemoryStream(xlsx), "danh-sach.xlsx"));

        Assert.Equal(
            [
                new StaffListRow(5, "1", "Lê Đức Thịnh", "Chuyên viên", "Phòng Nghệ thuật", So, "0918595098", null, "1234567", null),
                new StaffListRow(6, "2", "Võ Anh Tuấn", null, "Phòng Xây dựng nếp sống văn hóa và gia đình", So, "0903 123 456", null, null, null),
                new StaffListRow(9, "3", "Nguyễn Văn An", null, null, So, "02838291234", null, null, null),
            ],
            rows);
        Assert.Empty(StaffListCheck.Check(rows));
    }

    [Fact]
    public void A_workbook_is_read_from_its_first_visible_sheet()
    {
        var xlsx = Workbook.Build(hiddenFirstSheet: true,
            (1, [new("A1", "Họ và tên"), new("B1", "Cơ quan")]),
            (2, [new("A2", "Võ Anh Tuấn"), new("B2", So)]));

        var row = Assert.Single(Rows(StaffListReader.Read(new MemoryStream(xlsx), "danh-sach.xlsx")));

        Assert.Equal("Võ Anh Tuấn", row.FullName);
    }

    [Fact]
    public void A_workbook_without_an_agency_column_is_refused_naming_the_column()
    {
        var xlsx = Workbook.Build(
            (1, [new("A1", "DANH SÁCH")]),
            (3, [new("A3", "STT"), new("B3", "Họ và tên"), new("C3", "Chức danh")]),
            (4, [new("A4", "1", Workbook.Kind.Number), new("B4", "Lê Đức Thịnh"), new("C4", "Chuyên viên")]));

        var problem = Refusal(StaffListReader.Read(new MemoryStream(xlsx), "danh-sach.xlsx"), "ImportAgencyColumnMissing");

        Assert.Equal("The heading row (row 3) has no \"Agency\" column.", problem.Message(Messages.English));
    }

    [Fact]
    public void Garbage_named_xlsx_is_refused_as_a_damaged_workbook()
    {
        var garbage = new byte[4096];
        new Random(11).NextBytes(garbage);

        Refusal(StaffListReader.Read(new MemoryStream(garbage), "danh-sach.xlsx"), "ImportXlsxCorrupt");
    }

    [Fact]
    public void A_text_file_renamed_to_xlsx_is_refused_as_a_damaged_workbook()
    {
        var text = Encoding.UTF8.GetBytes(Header + "\n1,Lê Đức Thịnh,Chuyên viên,,Sở,,\n");

        var problem = Refusal(StaffListReader.Read(new MemoryStream(text), "danh-sach.xlsx"), "ImportXlsxCorrupt");

        Assert.Equal("Tệp \"danh-sach.xlsx\" không phải bảng tính Excel .xlsx hợp lệ hoặc đã bị hỏng; hãy mở bằng Excel và lưu lại.",
            problem.Message(Messages.Vietnamese));
    }

    [Fact]
    public void A_truncated_workbook_is_refused_as_a_damaged_workbook()
    {
        var xlsx = Workbook.Build((1, [new("A1", "Họ và tên"), new("B1", "Cơ quan")]), (2, [new("A2", "Võ Anh Tuấn"), new("B2", So)]));

        Refusal(StaffListReader.Read(new MemoryStream(xlsx[..(xlsx.Length / 2)]), "danh-sach.xlsx"), "ImportXlsxCorrupt");
    }

    [Fact]
    public void An_empty_zip_named_xlsx_is_refused_as_a_damaged_workbook()
    {
        using var zip = new MemoryStream();
        using (new System.IO.Compression.ZipArchive(zip, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true)) { }

        Refusal(StaffListReader.Read(new MemoryStream(zip.ToArray()), "danh-sach.xlsx"), "ImportXlsxCorrupt");
    }

    [Fact]
    public void An_old_or_password_protected_workbook_is_refused_with_advice()
    {
        byte[] ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];

        var problem = Refusal(StaffListReader.Read(new MemoryStream(ole), "danh-sach.xlsx"), "ImportXlsxOldOrEncrypted");

        Assert.Contains(".xlsx", problem.Message(Messages.English), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_xlsx_file_is_refused()
    {
        Refusal(StaffListReader.Read(new MemoryStream([]), "danh-sach.xlsx"), "ImportFileEmpty");
    }

    /// <summary>Never ends, and cannot tell its length: the reader must stop on its own.</summary>
    private sealed class EndlessStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)'a');
            return count;
        }
    }

    /// <summary>Builds small .xlsx workbooks in memory, the same bytes for the same arguments.</summary>
    private static class Workbook
    {
        public enum Kind { SharedText, Inline, Number, RichText }

        public sealed record XCell(string Reference, string Value, Kind Kind = Kind.SharedText);

        public static byte[] Build(params (uint Row, XCell[] Cells)[] rows) => Build(false, rows);

        public static byte[] Build(bool hiddenFirstSheet, params (uint Row, XCell[] Cells)[] rows)
        {
            using var stream = new MemoryStream();
            using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
            {
                var workbook = document.AddWorkbookPart();
                workbook.Workbook = new DocumentFormat.OpenXml.Spreadsheet.Workbook();
                var strings = workbook.AddNewPart<SharedStringTablePart>();
                strings.SharedStringTable = new SharedStringTable();
                var sheets = new Sheets();

                if (hiddenFirstSheet)
                {
                    var hidden = workbook.AddNewPart<WorksheetPart>();
                    hidden.Worksheet = new Worksheet(new SheetData(new Row(
                        new Cell { CellReference = "A1", DataType = CellValues.InlineString, InlineString = new InlineString(new Text("Họ và tên")) },
                        new Cell { CellReference = "B1", DataType = CellValues.InlineString, InlineString = new InlineString(new Text("Cơ quan")) })
                    { RowIndex = 1 }));
                    sheets.Append(new Sheet { Id = workbook.GetIdOfPart(hidden), SheetId = 1, Name = "Tra cứu", State = SheetStateValues.Hidden });
                }

                var sheet = workbook.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                foreach (var (number, cells) in rows)
                {
                    var row = new Row { RowIndex = number };
                    foreach (var cell in cells) row.Append(ToCell(cell, strings.SharedStringTable));
                    data.Append(row);
                }
                sheet.Worksheet = new Worksheet(data);
                sheets.Append(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 2, Name = "Danh sách" });
                workbook.Workbook.Append(sheets);
            }
            return stream.ToArray();
        }

        private static Cell ToCell(XCell cell, SharedStringTable strings)
        {
            switch (cell.Kind)
            {
                case Kind.Number:
                    return new Cell { CellReference = cell.Reference, CellValue = new CellValue(cell.Value) };
                case Kind.Inline:
                    return new Cell { CellReference = cell.Reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(cell.Value)) };
                case Kind.RichText:
                    var words = cell.Value.Split(' ', 2);
                    strings.Append(new SharedStringItem(
                        new Run(new RunProperties(new Bold()), new Text(words[0] + " ") { Space = SpaceProcessingModeValues.Preserve }),
                        new Run(new Text(words[1])),
                        new PhoneticRun(new Text("(phiên âm)")) { BaseTextStartIndex = 0, EndingBaseIndex = 1 }));
                    break;
                default:
                    strings.Append(new SharedStringItem(new Text(cell.Value)));
                    break;
            }
            var index = strings.ChildElements.Count - 1;
            return new Cell
            {
                CellReference = cell.Reference,
                DataType = CellValues.SharedString,
                CellValue = new CellValue(index.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
        }
    }
}
