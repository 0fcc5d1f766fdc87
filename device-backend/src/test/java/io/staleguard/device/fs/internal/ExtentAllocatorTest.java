package io.staleguard.device.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ExtentAllocatorTest {

    @Test
    void firstFitTakesTheLowestExtentLongEnough() throws IOException {
        ExtentAllocator a = new ExtentAllocator(100);
        assertThat(a.allocate(10, -1)).containsExactly(0, 10);
        assertThat(a.allocate(10, -1)).containsExactly(10, 10);
        assertThat(a.allocate(10, -1)).containsExactly(20, 10);
        a.free(0, 5);
        a.free(10, 10);
        assertThat(a.freeExtentCount()).isEqualTo(3);
        assertThat(a.allocate(8, -1)).containsExactly(10, 8);
        assertThat(a.allocate(3, -1)).containsExactly(0, 3);
    }

    @Test
    void aGoalBlockThatIsFreeKeepsAFileContiguous() throws IOException {
        ExtentAllocator a = new ExtentAllocator(100);
        a.allocate(10, -1);
        a.allocate(10, -1);
        a.free(0, 10);
        assertThat(a.allocate(5, 20)).containsExactly(20, 5);
        assertThat(a.allocate(100, 25)).containsExactly(25, 75);
    }

    @Test
    void withoutALongEnoughExtentTheFirstFreeOneIsTakenWhole() throws IOException {
        ExtentAllocator a = new ExtentAllocator(30);
        a.allocate(30, -1);
        a.free(2, 3);
        a.free(20, 5);
        assertThat(a.allocate(7, -1)).containsExactly(2, 3);
        assertThat(a.allocate(4, -1)).containsExactly(20, 4);
    }

    @Test
    void freeingMergesNeighboursAndCountsBlocks() throws IOException {
        ExtentAllocator a = new ExtentAllocator(64);
        a.allocate(64, -1);
        a.free(10, 5);
        a.free(20, 5);
        a.free(15, 5);
        assertThat(a.freeExtentCount()).isEqualTo(1);
        assertThat(a.freeBlocks()).isEqualTo(15);
        assertThat(a.allocate(15, -1)).containsExactly(10, 15);
    }

    @Test
    void noFreeBlockIsNoSpaceLeftOnDevice() throws IOException {
        ExtentAllocator a = new ExtentAllocator(4);
        a.allocate(4, -1);
        assertThatThrownBy(() -> a.allocate(1, -1)).isInstanceOf(IOException.class).hasMessage("No space left on device");
        assertThatThrownBy(() -> a.reserveCheck(1)).hasMessage("No space left on device");
    }

    @Test
    void aDoubleFreeIsAnError() throws IOException {
        ExtentAllocator a = new ExtentAllocator(10);
        a.allocate(5, -1);
        a.free(0, 2);
        assertThatThrownBy(() -> a.free(1, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.free(8, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
