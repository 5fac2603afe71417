package worker

import (
	"log"
	"time"
)

func Poll(process func() error) {
	for {
		if err := process(); err != nil {
			log.Println(err)
		}
		time.Sleep(time.Second)
	}
}
