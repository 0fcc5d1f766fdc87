package io.staleguard.device.integrity;

import java.nio.charset.StandardCharsets;

/**
 * The main class {@link Crc16IsalIT} runs in a fresh JVM: prints the implementation {@link Crc16T10Dif} chose
 * there and its check value, so the test sees what a user's JVM would choose and print.
 */
final class Crc16ImplementationProbe {

    private Crc16ImplementationProbe() {
    }

    public static void main(String[] args) {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        System.out.println(Crc16T10Dif.implementation() + " 0x"
                + Integer.toHexString(Crc16T10Dif.compute(check, 0, check.length)));
    }
}
