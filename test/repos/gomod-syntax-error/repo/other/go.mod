module example.com/other /* old */
