from thidua.html import compact


def test_it_drops_indentation_between_tags_and_keeps_the_gap_a_browser_shows():
    html = '<tr>\n      <td class="num">1</td>\n      <td>a  b</td>\n    </tr>\n'
    assert compact(html) == '<tr>\n<td class="num">1</td>\n<td>a  b</td>\n</tr>\n'


def test_it_keeps_text_and_blanks_without_a_newline():
    html = "<p>Đã nộp</p> <a href='/x'>xem</a><span>\n  text\n</span>"
    assert compact(html) == html
