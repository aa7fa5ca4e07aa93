package dev.finetune.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnsupportedContentTest {

    private static final String TICKET = "Customer Anna says the Acme router drops Wi-Fi every 20 minutes since the "
            + "firmware update to 3.1; she paid 1,200 dollars.";

    @Test
    void aFaithfulSummaryHasNothingUnsupported() {
        var finding = UnsupportedContent.of(TICKET, "Router drops Wi-Fi every 20 minutes after firmware update 3.1.");

        assertThat(finding.unsupported()).isEmpty();
        assertThat(finding.items()).isGreaterThan(4);
        assertThat(finding.rate()).isZero();
    }

    @Test
    void inventedNumbersNamesAndContentWordsAreFound() {
        var finding = UnsupportedContent.of(TICKET,
                "Anna from Berlin says the Acme modem fails every 45 minutes; a refund was promised.");

        assertThat(finding.unsupported()).containsExactly("Berlin", "modem", "fails", "45", "refund", "promised");
        assertThat(finding.rate()).isGreaterThan(0.4);
    }

    @Test
    void numbersMatchWithoutTheirSeparatorsAndSentenceStartsAreNotNames() {
        var finding = UnsupportedContent.of(TICKET, "Paid 1200 dollars. Router drops.");

        assertThat(finding.unsupported()).isEmpty();
        assertThat(UnsupportedContent.of("", "").items()).isZero();
        assertThat(UnsupportedContent.of("", "").rate()).isZero();
    }
}
