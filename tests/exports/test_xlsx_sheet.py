"""The export's worksheet class writes number cells exactly as XlsxWriter's own."""

import inspect
import zipfile
from io import BytesIO

from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from thidua.exports.xlsx import _Sheet


def sheet_xml(worksheet_class) -> bytes:
    buffer = BytesIO()
    workbook = Workbook(buffer, {"constant_memory": True})
    sheet = workbook.add_worksheet("Xếp hạng", worksheet_class=worksheet_class)
    look = workbook.add_format({"num_format": "0.00", "border": 1})
    for row, number in enumerate([8, 9.51, 0.1 + 0.2, -3.25e-7, 1e16, 95.44]):
        sheet.write_number(row, 0, number, look)
        sheet.write_number(row, 27, number)  # column AB, no format
        sheet.write_string(row, 1, 'Xã "A" & <B>')
    workbook.close()
    with zipfile.ZipFile(BytesIO(buffer.getvalue())) as package:
        return package.read("xl/worksheets/sheet1.xml")


def test_number_cells_are_written_byte_for_byte_as_xlsxwriter_writes_them():
    assert sheet_xml(_Sheet) == sheet_xml(Worksheet)
    assert b'<c r="AB6"><v>95.44</v></c>' in sheet_xml(_Sheet)


def test_the_overridden_method_still_exists_in_xlsxwriter_with_the_same_parameters():
    # An XlsxWriter upgrade that renames or changes it must fail here, not in production.
    parameters = list(inspect.signature(Worksheet._xml_number_element).parameters)
    assert parameters == ["self", "number", "attributes"]
