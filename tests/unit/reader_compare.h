/*
 * reader_compare.h - for the reader tests (test_csv.c, test_xlsx.c): reads
 * a source with egdi_reader_next and egdi_reader_next_small in step and
 * checks that they agree as reader.h promises.
 */
#ifndef EGDI_TEST_READER_COMPARE_H
#define EGDI_TEST_READER_COMPARE_H

/* Reads r1 with egdi_reader_next and r2 with egdi_reader_next_small in step:
 * the same rows and final status; every cell the same, or a small whole
 * number that egdi_cell_small finds in egdi_reader_next's cell.  Returns
 * the number of small cells. */
static size_t compare_small_readers(egdi_reader *r1, egdi_reader *r2, egdi_status *final)
{
    egdi_row a, b;
    egdi_error e1, e2;
    egdi_status s1, s2;
    size_t nsmall = 0;
    while ((s1 = egdi_reader_next(r1, &a, &e1)) == EGDI_OK) {
        s2 = egdi_reader_next_small(r2, &b, &e2);
        assert_int_equal(s2, EGDI_OK);
        assert_null(a.small);
        assert_non_null(b.small);
        assert_int_equal(a.number, b.number);
        assert_int_equal(a.ncells, b.ncells);
        for (size_t j = 0; j < a.ncells; j++) {
            unsigned v = b.small[j];
            assert_int_equal(egdi_cell_small(&a.cells[j]), v);
            if (v != EGDI_SMALL_NONE) {
                nsmall++;
                continue;
            }
            assert_int_equal(a.cells[j].type, b.cells[j].type);
            assert_int_equal(a.cells[j].len, b.cells[j].len);
            if (a.cells[j].len)
                assert_string_equal(a.cells[j].text, b.cells[j].text);
        }
    }
    s2 = egdi_reader_next_small(r2, &b, &e2);
    assert_int_equal(s1, s2);
    if (final)
        *final = s1;
    if (s1 != EGDI_DONE) {
        assert_int_equal(e1.row, e2.row);
        assert_int_equal(e1.col, e2.col);
        assert_string_equal(e1.message, e2.message);
    }
    return nsmall;
}

#endif
