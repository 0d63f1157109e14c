package io.wasmudf.engine.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WastOutlineTest {

    @Test
    void listsTopLevelFormsSkippingCommentsAndStrings() {
        String wast = ";; (module) in a line comment\n"
                + "(module (func (export \"f\") (result i32) (i32.const 1)))\n"
                + "(; block (; nested ;) (assert_trap) ;)\n"
                + "(assert_return (invoke \"f\") (i32.const 1))\n"
                + "(assert_malformed (module quote \"(func\" \") \\\" (\") \"unexpected\")\n"
                + "(register \"m\")";
        List<WastOutline.Form> forms = WastOutline.topLevelForms(wast);
        assertEquals(List.of(
                new WastOutline.Form(2, "module"),
                new WastOutline.Form(4, "assert_return"),
                new WastOutline.Form(5, "assert_malformed"),
                new WastOutline.Form(6, "register")), forms);
    }

    @Test
    void multiLineFormsReportTheirFirstLine() {
        List<WastOutline.Form> forms = WastOutline.topLevelForms("(module\n  (memory 1)\n)\n\n(assert_invalid\n (module) \"x\")\n");
        assertEquals(List.of(new WastOutline.Form(1, "module"), new WastOutline.Form(5, "assert_invalid")), forms);
    }
}
