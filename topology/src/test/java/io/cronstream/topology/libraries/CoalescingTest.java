package io.cronstream.topology.libraries;

import static io.cronstream.schemas.ChangeType.MODIFIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cronstream.schemas.ChangeType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CoalescingTest {

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(nullValues = "none", value = {
        "none,     ADDED,    ADDED",
        "none,     MODIFIED, MODIFIED",
        "none,     DELETED,  DELETED",
        "ADDED,    ADDED,    ADDED",
        "ADDED,    MODIFIED, ADDED",
        "ADDED,    DELETED,  none",
        "MODIFIED, ADDED,    MODIFIED",
        "MODIFIED, MODIFIED, MODIFIED",
        "MODIFIED, DELETED,  DELETED",
        "DELETED,  ADDED,    MODIFIED",
        "DELETED,  MODIFIED, MODIFIED",
        "DELETED,  DELETED,  DELETED",
    })
    void combines(ChangeType pending, ChangeType next, ChangeType result) {
        assertThat(Coalescing.combine(pending, next)).isEqualTo(result);
    }

    @Test
    void aRenameIsNeverPending() {
        assertThatThrownBy(() -> Coalescing.combine(ChangeType.RENAMED, MODIFIED))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
