package io.cronstream.workers.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/** Sends a batch of records and returns only once the broker has acknowledged every one of them. */
public final class KafkaSends {

    private KafkaSends() {
    }

    public static void sendAll(Producer<String, byte[]> producer, List<ProducerRecord<String, byte[]>> records) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        records.forEach(record -> acks.add(producer.send(record)));
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while waiting for acknowledgements", e);
            } catch (ExecutionException e) {
                throw new KafkaException("send failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }
}
