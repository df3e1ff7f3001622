using System.Text;
using GovMail.Core.Text;

namespace GovMail.Core.Tests.Text;

public class VietnameseTextTests
{
    [Theory]
    [InlineData("Công văn đến", "Cong van den")]
    [InlineData("Lê Đức Thịnh", "Le Duc Thinh")]
    [InlineData("Nguyễn Thị Minh Khai", "Nguyen Thi Minh Khai")]
    [InlineData("Ủy ban nhân dân Thành phố Hồ Chí Minh", "Uy ban nhan dan Thanh pho Ho Chi Minh")]
    [InlineData("Sở Thông tin và Truyền thông", "So Thong tin va Truyen thong")]
    [InlineData("ĐƯỜNG ĐỒNG KHỞI", "DUONG DONG KHOI")]
    public void Fold_removes_diacritics_and_keeps_case(string text, string expected) =>
        Assert.Equal(expected, VietnameseText.Fold(text));

    [Theory]
    [InlineData("đ", "d")]
    [InlineData("Đ", "D")]
    [InlineData("đĐđ", "dDd")]
    public void Fold_maps_d_with_stroke_to_d_of_the_same_case(string text, string expected) =>
        Assert.Equal(expected, VietnameseText.Fold(text));

    [Theory]
    [InlineData("aàáảãạ", "aaaaaa")]
    [InlineData("ăằắẳẵặ", "aaaaaa")]
    [InlineData("âầấẩẫậ", "aaaaaa")]
    [InlineData("eèéẻẽẹ", "eeeeee")]
    [InlineData("êềếểễệ", "eeeeee")]
    [InlineData("iìíỉĩị", "iiiiii")]
    [InlineData("oòóỏõọ", "oooooo")]
    [InlineData("ôồốổỗộ", "oooooo")]
    [InlineData("ơờớởỡợ", "oooooo")]
    [InlineData("uùúủũụ", "uuuuuu")]
    [InlineData("ưừứửữự", "uuuuuu")]
    [InlineData("yỳýỷỹỵ", "yyyyyy")]
    public void Fold_removes_every_tone_from_every_vowel_in_both_cases(string vowelWithAllTones, string expected)
    {
        Assert.Equal(expected, VietnameseText.Fold(vowelWithAllTones));
        Assert.Equal(expected.ToUpperInvariant(), VietnameseText.Fold(vowelWithAllTones.ToUpperInvariant()));
    }

    [Fact]
    public void Fold_accepts_decomposed_input()
    {
        var decomposed = "Co\u0302ng va\u0306n \u0111e\u0302\u0301n";
        Assert.False(decomposed.IsNormalized(NormalizationForm.FormC));

        Assert.Equal("Cong van den", VietnameseText.Fold(decomposed));
    }

    [Fact]
    public void Fold_gives_the_same_result_for_composed_and_decomposed_forms()
    {
        const string composed = "Trường Đại học Sư phạm";

        Assert.Equal(VietnameseText.Fold(composed), VietnameseText.Fold(composed.Normalize(NormalizationForm.FormD)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc XYZ 123")]
    [InlineData("  spaces\tand\ttabs  ")]
    [InlineData("@#%&*!()-_=+")]
    [InlineData("李小龍")]
    public void Fold_leaves_text_without_diacritics_unchanged(string text) =>
        Assert.Equal(text, VietnameseText.Fold(text));

    [Theory]
    [InlineData("Công văn đến", "cong van den")]
    [InlineData("  Lê   Đức\tThịnh ", "le duc thinh")]
    [InlineData("LÊ ĐỨC THỊNH", "le duc thinh")]
    [InlineData("Lê\u00A0Đức\r\nThịnh", "le duc thinh")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    public void Key_is_folded_lower_case_with_single_spaces(string text, string expected) =>
        Assert.Equal(expected, VietnameseText.Key(text));

    [Fact]
    public void Key_makes_differently_typed_names_equal()
    {
        var typed = new[]
        {
            "Lê Đức Thịnh",
            "le duc thinh",
            "LE  DUC  THINH",
            "Le\u0302 \u0110u\u031B\u0301c Thi\u0323nh",
            " lê đức thịnh ",
        };

        Assert.Single(typed.Select(VietnameseText.Key).Distinct());
    }

    [Fact]
    public void Key_finds_cong_van_in_cong_van_den() =>
        Assert.Contains(VietnameseText.Key("cong van"), VietnameseText.Key("Công văn đến"), StringComparison.Ordinal);

    [Theory]
    [InlineData("  Lê   Đức  Thịnh  ", "Lê Đức Thịnh")]
    [InlineData("Lê\tĐức\nThịnh", "Lê Đức Thịnh")]
    [InlineData("Nguyễn Thị Minh Khai", "Nguyễn Thị Minh Khai")]
    [InlineData("", "")]
    public void CleanName_trims_and_collapses_spaces_but_keeps_diacritics_and_case(string text, string expected) =>
        Assert.Equal(expected, VietnameseText.CleanName(text));

    [Fact]
    public void CleanName_composes_decomposed_input()
    {
        var cleaned = VietnameseText.CleanName(" Le\u0302 \u0110u\u031B\u0301c  Thi\u0323nh ");

        Assert.Equal("Lê Đức Thịnh", cleaned);
        Assert.True(cleaned.IsNormalized(NormalizationForm.FormC));
    }
}
