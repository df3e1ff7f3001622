using GovMail.Core.Accounts;

namespace GovMail.Core.Tests.Accounts;

public class AddressGeneratorTests
{
    [Theory]
    [InlineData("Lê Đức Thịnh", "ldthinh")]
    [InlineData("Nguyễn Thị Minh Khai", "ntmkhai")]
    [InlineData("Trần Hưng Đạo", "thdao")]
    [InlineData("Đặng Thùy Trâm", "dttram")]
    [InlineData("Phạm Nhật Vượng", "pnvuong")]
    [InlineData("Hồ Chí Minh", "hcminh")]
    [InlineData("Ngô Bảo Châu", "nbchau")]
    [InlineData("Huỳnh Ngọc Ẩn", "hnan")]
    [InlineData("Ưng Hoàng Phúc", "uhphuc")]
    [InlineData("Tôn Nữ Thị Ninh", "tntninh")]
    [InlineData("Âu Dương Phong", "adphong")]
    public void Local_part_is_initials_of_family_and_middle_names_then_the_whole_given_name(string fullName, string expected) =>
        Assert.Equal(expected, AddressGenerator.Base(fullName));

    [Theory]
    [InlineData("LÊ ĐỨC THỊNH")]
    [InlineData("lê đức thịnh")]
    [InlineData("Le Duc Thinh")]
    public void Case_and_diacritics_do_not_change_the_local_part(string fullName) =>
        Assert.Equal("ldthinh", AddressGenerator.Base(fullName));

    [Theory]
    [InlineData("Đinh Đăng Định", "dddinh")]
    [InlineData("đinh đăng định", "dddinh")]
    [InlineData("Đ Đ Đ", "ddd")]
    public void D_with_stroke_becomes_d(string fullName, string expected) =>
        Assert.Equal(expected, AddressGenerator.Base(fullName));

    [Theory]
    [InlineData("aàáảãạ", 'a')]
    [InlineData("ăằắẳẵặ", 'a')]
    [InlineData("âầấẩẫậ", 'a')]
    [InlineData("eèéẻẽẹ", 'e')]
    [InlineData("êềếểễệ", 'e')]
    [InlineData("iìíỉĩị", 'i')]
    [InlineData("oòóỏõọ", 'o')]
    [InlineData("ôồốổỗộ", 'o')]
    [InlineData("ơờớởỡợ", 'o')]
    [InlineData("uùúủũụ", 'u')]
    [InlineData("ưừứửữự", 'u')]
    [InlineData("yỳýỷỹỵ", 'y')]
    public void Every_tone_mark_on_every_vowel_folds_to_the_plain_letter(string vowelWithAllTones, char plain)
    {
        var expectedGiven = new string(plain, vowelWithAllTones.Length);

        Assert.Equal("l" + expectedGiven, AddressGenerator.Base("Lê " + vowelWithAllTones));
        Assert.Equal("l" + expectedGiven, AddressGenerator.Base("LÊ " + vowelWithAllTones.ToUpperInvariant()));
    }

    [Fact]
    public void Decomposed_input_gives_the_same_local_part_as_precomposed()
    {
        // "Lê Đức Thịnh" as typed with combining marks (Unikey "Unicode tổ hợp").
        var decomposed = "Le\u0302 \u0110u\u031B\u0301c Thi\u0323nh";

        Assert.Equal("ldthinh", AddressGenerator.Base(decomposed));
    }

    [Theory]
    [InlineData("Thịnh", "thinh")]
    [InlineData("  Khải  ", "khai")]
    [InlineData("Đ", "d")]
    public void Single_word_name_is_used_whole(string fullName, string expected) =>
        Assert.Equal(expected, AddressGenerator.Base(fullName));

    [Theory]
    [InlineData("  Lê   Đức    Thịnh  ")]
    [InlineData("Lê\tĐức\t\tThịnh")]
    [InlineData("Lê-Đức Thịnh")]
    [InlineData("Lê - Đức -- Thịnh")]
    [InlineData("Lê Đức Thịnh\r\n")]
    [InlineData("Lê\u00A0Đức\u00A0Thịnh")] // non-breaking spaces, as pasted from Word or Excel
    [InlineData("Lê\nĐức\nThịnh")]
    [InlineData("Lê, Đức (Thịnh)")]
    [InlineData("Lê. Đức. Thịnh.")]
    public void Extra_separators_between_words_are_ignored(string fullName) =>
        Assert.Equal("ldthinh", AddressGenerator.Base(fullName));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t-\t")]
    [InlineData("123 456")]
    [InlineData("--- ... ,,,")]
    [InlineData("(?) !!")]
    [InlineData("李小龍")]
    public void Name_without_latin_letters_has_no_local_part(string fullName) =>
        Assert.Equal("", AddressGenerator.Base(fullName));

    [Fact]
    public void Digits_only_words_are_dropped_but_digits_inside_a_word_are_kept()
    {
        Assert.Equal("nvan", AddressGenerator.Base("Nguyễn Văn 2"));
        Assert.Equal("nvan2", AddressGenerator.Base("Nguyễn Văn An2"));
    }

    [Fact]
    public void Very_long_name_is_cut_leaving_room_for_a_collision_number()
    {
        var local = AddressGenerator.Base("Nguyễn " + new string('a', 100));

        Assert.Equal(AddressGenerator.MaxLocalPartLength - 4, local.Length);
        Assert.StartsWith("naaaa", local);

        var suggestion = AddressGenerator.Suggest("Nguyễn " + new string('a', 100), l => l == local);
        Assert.Equal(local + "1", suggestion);
        Assert.True(AddressGenerator.IsValidLocalPart(suggestion));
    }

    [Theory]
    [InlineData("Lê Đức Thịnh")]
    [InlineData("Nguyễn Thị Minh Khai")]
    [InlineData("  Trần-Hưng   Đạo ")]
    [InlineData("Đặng Thùy Trâm")]
    [InlineData("O'Brien Nguyễn")]
    public void Generated_local_part_is_always_valid(string fullName) =>
        Assert.True(AddressGenerator.IsValidLocalPart(AddressGenerator.Base(fullName)));

    [Fact]
    public void Free_base_is_suggested_as_is() =>
        Assert.Equal("ldthinh", AddressGenerator.Suggest("Lê Đức Thịnh", _ => false));

    [Fact]
    public void Taken_address_gets_the_number_1()
    {
        var taken = new HashSet<string> { "ldthinh" };

        Assert.Equal("ldthinh1", AddressGenerator.Suggest("Lê Đức Thịnh", taken.Contains));
    }

    [Fact]
    public void Collisions_count_up_until_a_free_address()
    {
        var taken = new HashSet<string> { "ldthinh", "ldthinh1" };

        Assert.Equal("ldthinh2", AddressGenerator.Suggest("Lê Đức Thịnh", taken.Contains));

        taken.UnionWith(Enumerable.Range(2, 8).Select(n => "ldthinh" + n));
        Assert.Equal("ldthinh10", AddressGenerator.Suggest("Lê Đức Thịnh", taken.Contains));
    }

    [Fact]
    public void The_lowest_free_number_is_taken_even_with_gaps()
    {
        var taken = new HashSet<string> { "ldthinh", "ldthinh2", "ldthinh3" };

        Assert.Equal("ldthinh1", AddressGenerator.Suggest("Lê Đức Thịnh", taken.Contains));
    }

    [Fact]
    public void Different_people_with_the_same_initials_collide()
    {
        // Lê Đức Thịnh and Lương Duy Thịnh both give ldthinh.
        var taken = new HashSet<string> { AddressGenerator.Suggest("Lê Đức Thịnh", _ => false) };

        Assert.Equal("ldthinh1", AddressGenerator.Suggest("Lương Duy Thịnh", taken.Contains));
    }

    [Fact]
    public void Name_without_letters_is_suggested_user()
    {
        Assert.Equal("user", AddressGenerator.Suggest("123", _ => false));
        Assert.Equal("user1", AddressGenerator.Suggest("", l => l == "user"));
    }

    [Theory]
    [InlineData("ldthinh")]
    [InlineData("a")]
    [InlineData("ld.thinh")]
    [InlineData("ld-thinh")]
    [InlineData("ld_thinh")]
    [InlineData("ldthinh2")]
    [InlineData("2024")]
    [InlineData("van.thu.so-ttt_2")]
    public void Valid_local_parts_are_accepted(string local) =>
        Assert.True(AddressGenerator.IsValidLocalPart(local));

    [Fact]
    public void Local_part_of_exactly_64_characters_is_accepted() =>
        Assert.True(AddressGenerator.IsValidLocalPart(new string('a', 64)));

    [Fact]
    public void Local_part_of_65_characters_is_refused() =>
        Assert.False(AddressGenerator.IsValidLocalPart(new string('a', 65)));

    [Theory]
    [InlineData("")]
    [InlineData("LdThinh")]
    [InlineData("LDTHINH")]
    [InlineData("ld..thinh")]
    [InlineData(".ldthinh")]
    [InlineData("ldthinh.")]
    [InlineData(".")]
    [InlineData("ld thinh")]
    [InlineData("ldthinh@")]
    [InlineData("ld+tag")]
    [InlineData("thịnh")]
    [InlineData("đuc")]
    [InlineData("ｌｄｔｈｉｎｈ")]
    [InlineData("\u212Aien")] // Kelvin sign, looks like K
    public void Invalid_local_parts_are_refused(string local) =>
        Assert.False(AddressGenerator.IsValidLocalPart(local));

    [Theory]
    [InlineData("tphcm.gov.vn")]
    [InlineData("sovanhoa.tphcm.gov.vn")]
    [InlineData("so-vh.tphcm.gov.vn")]
    [InlineData("q1.tphcm.gov.vn")]
    [InlineData("a.vn")]
    public void Valid_domains_are_accepted(string domain) =>
        Assert.True(AddressGenerator.IsValidDomain(domain));

    [Theory]
    [InlineData("")]
    [InlineData("vn")]
    [InlineData("localhost")]
    [InlineData("tphcm..gov.vn")]
    [InlineData(".tphcm.gov.vn")]
    [InlineData("tphcm.gov.vn.")]
    [InlineData("-tphcm.gov.vn")]
    [InlineData("tphcm-.gov.vn")]
    [InlineData("TPHCM.gov.vn")]
    [InlineData("tp_hcm.gov.vn")]
    [InlineData("tp hcm.gov.vn")]
    [InlineData("hồchíminh.vn")]
    [InlineData("tphcm.gov.v\u212A")]
    public void Invalid_domains_are_refused(string domain) =>
        Assert.False(AddressGenerator.IsValidDomain(domain));

    [Fact]
    public void Domain_label_of_63_characters_is_accepted_and_64_refused()
    {
        Assert.True(AddressGenerator.IsValidDomain(new string('a', 63) + ".vn"));
        Assert.False(AddressGenerator.IsValidDomain(new string('a', 64) + ".vn"));
    }

    [Fact]
    public void Domain_of_253_characters_is_accepted_and_254_refused()
    {
        static string Domain(int lastLabel) =>
            string.Join('.', new string('a', 63), new string('b', 63), new string('c', 63), new string('d', lastLabel));
        Assert.Equal(253, Domain(61).Length);

        Assert.True(AddressGenerator.IsValidDomain(Domain(61)));
        Assert.False(AddressGenerator.IsValidDomain(Domain(62)));
    }

    [Theory]
    [InlineData("ldthinh@tphcm.gov.vn", "ldthinh", "tphcm.gov.vn")]
    [InlineData("LDThinh@TPHCM.GOV.VN", "ldthinh", "tphcm.gov.vn")]
    [InlineData("  ldthinh@tphcm.gov.vn\t", "ldthinh", "tphcm.gov.vn")]
    [InlineData("van.thu@sovanhoa.tphcm.gov.vn", "van.thu", "sovanhoa.tphcm.gov.vn")]
    public void Valid_address_is_split_and_lower_cased(string address, string local, string domain) =>
        Assert.Equal((local, domain), AddressGenerator.ParseAddress(address));

    [Theory]
    [InlineData("")]
    [InlineData("ldthinh")]
    [InlineData("@tphcm.gov.vn")]
    [InlineData("ldthinh@")]
    [InlineData("ld@thinh@tphcm.gov.vn")]
    [InlineData("ld..thinh@tphcm.gov.vn")]
    [InlineData(".ldthinh@tphcm.gov.vn")]
    [InlineData("ldthinh.@tphcm.gov.vn")]
    [InlineData("ld thinh@tphcm.gov.vn")]
    [InlineData("ldthinh@tphcm..gov.vn")]
    [InlineData("ldthinh@tphcm")]
    [InlineData("thịnh@tphcm.gov.vn")]
    [InlineData("THỊNH@tphcm.gov.vn")]
    [InlineData("đuc@tphcm.gov.vn")]
    [InlineData("ldthinh@hồchíminh.vn")]
    [InlineData("\u212Aien@tphcm.gov.vn")] // Kelvin sign: lower-cases to an ASCII k
    [InlineData("ldthinh@tphcm.gov.v\u212A")]
    [InlineData("ｌｄｔｈｉｎｈ@tphcm.gov.vn")]
    [InlineData("\"ldthinh\"@tphcm.gov.vn")]
    [InlineData("Lê Đức Thịnh <ldthinh@tphcm.gov.vn>")]
    public void Invalid_address_is_refused(string address) =>
        Assert.Null(AddressGenerator.ParseAddress(address));
}
